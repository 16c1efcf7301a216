package dev.tributary.testkit;

/**
 * A TLS session a {@link ForwardServer} set up with a client ({@link ForwardServer#tlsSessions()}):
 * what was negotiated and who the client said it was. Immutable and thread safe.
 *
 * <pre>{@code
 * TlsSession session = server.tlsSessions().get(0);
 * assertEquals("TLSv1.2", session.protocol());
 * assertEquals("CN=tributary-test-client", session.clientCertificateSubject());
 * }</pre>
 *
 * @param connectionId the connection, as in {@link ReceivedEvent#connectionId()}
 * @param protocol the negotiated protocol version, such as {@code "TLSv1.3"}
 * @param cipherSuite the negotiated cipher suite
 * @param clientCertificateSubject the subject of the client's certificate (RFC 2253 form), or
 *     {@code null} when the client presented none (the server asks only for mutual TLS)
 */
public record TlsSession(int connectionId, String protocol, String cipherSuite,
    String clientCertificateSubject) {}
