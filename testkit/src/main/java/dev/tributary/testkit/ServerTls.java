package dev.tributary.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A server's TLS settings and the listening sockets they make: the key and chain it presents, the
 * protocol versions it accepts and, for mutual TLS, the certificates it trusts for clients.
 *
 * <p>Immutable and thread safe. The {@link SSLContext} is made once, here, so a config that
 * starts several servers shares it. Sockets handshake lazily; {@link #handshake} runs it on the
 * connection's thread so that a failure is seen there and recorded.
 */
final class ServerTls {
  private final List<String> protocols;
  private final boolean clientCertificateRequired;
  private final SSLServerSocketFactory factory;

  ServerTls(PrivateKey key, List<X509Certificate> chain, List<String> protocols,
      List<X509Certificate> trustedClientIssuers) {
    this.protocols = List.copyOf(protocols);
    this.clientCertificateRequired = !trustedClientIssuers.isEmpty();
    SSLContext context = TestCertificates.sslContext(
        TestCertificates.keyStoreOf("server", key, chain),
        clientCertificateRequired
            ? TestCertificates.trustStoreOf(trustedClientIssuers.toArray(new X509Certificate[0]))
            : null);
    this.factory = context.getServerSocketFactory();
  }

  List<String> protocols() {
    return protocols;
  }

  boolean clientCertificateRequired() {
    return clientCertificateRequired;
  }

  /** Makes TLS listening sockets with these settings. */
  ServerSocketFactory socketFactory() {
    return new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return configure(factory.createServerSocket());
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        return configure(factory.createServerSocket(port));
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return configure(factory.createServerSocket(port, backlog));
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
          throws IOException {
        return configure(factory.createServerSocket(port, backlog, address));
      }
    };
  }

  private ServerSocket configure(ServerSocket socket) {
    SSLServerSocket ssl = (SSLServerSocket) socket;
    ssl.setEnabledProtocols(protocols.toArray(new String[0]));
    ssl.setNeedClientAuth(clientCertificateRequired);
    return ssl;
  }

  /**
   * Runs the TLS handshake of an accepted socket and describes the session.
   *
   * @throws IOException if the handshake fails or the peer leaves during it
   */
  static TlsSession handshake(int connectionId, SSLSocket socket) throws IOException {
    socket.startHandshake();
    SSLSession session = socket.getSession();
    String clientSubject = null;
    try {
      clientSubject = ((X509Certificate) session.getPeerCertificates()[0])
          .getSubjectX500Principal().getName();
    } catch (javax.net.ssl.SSLPeerUnverifiedException noClientCertificate) {
      // Only mutual TLS asks the client for a certificate.
    }
    return new TlsSession(connectionId, session.getProtocol(), session.getCipherSuite(),
        clientSubject);
  }
}
