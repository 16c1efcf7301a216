package dev.tributary.testkit;

import static dev.tributary.testkit.SecureWire.assertPongAccepts;
import static dev.tributary.testkit.SecureWire.ping;
import static dev.tributary.testkit.SecureWire.readHelo;
import static dev.tributary.testkit.SecureWire.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.testkit.SecureWire.Helo;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A ForwardServer listening with TLS: versions, trust, mutual TLS, and failures it survives. */
class TlsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;
  private static final TestCertificates CERTS = TestCertificates.create();

  @Test
  void aClientTrustingTheCaDeliversOverTls13ByDefault() throws IOException {
    try (ForwardServer server = ForwardServer.builder().tls(CERTS).build();
        TestClient client = TestClient.over(tls(server, CERTS.trustingSslContext(), "localhost"))) {
      client.send(Wire.message("app", SECONDS, 0, Map.of("k", "v"), "c1"));
      assertEquals("c1", client.readAck());
      assertEquals("v", server.awaitEvents(1, TIMEOUT).get(0).record().get("k"));

      TlsSession session = server.tlsSessions().get(0);
      assertEquals("TLSv1.3", session.protocol());
      assertNull(session.clientCertificateSubject());
      assertEquals(1, session.connectionId());
      assertTrue(server.config().tls());
      assertEquals(List.of(), server.tlsFailures());
    }
  }

  @Test
  void theCertificateAlsoVerifiesForTheLoopbackAddress() throws IOException {
    try (ForwardServer server = ForwardServer.builder().tls(CERTS).build();
        Socket socket = tls(server, CERTS.trustingSslContext(), "127.0.0.1")) {
      assertEquals("TLSv1.3", ((SSLSocket) socket).getSession().getProtocol());
    }
  }

  @Test
  void aPinnedVersionRefusesOthersAndKeepsServing() throws IOException {
    try (ForwardServer server =
        ForwardServer.builder().tls(CERTS).tlsProtocols("TLSv1.2").build()) {
      assertThrows(SSLException.class,
          () -> tls(server, CERTS.trustingSslContext(), "localhost", "TLSv1.3").close());
      Await.until("the failure recorded", TIMEOUT, () -> server.tlsFailures().size() == 1);
      assertTrue(server.protocolErrors().get(0).contains("TLS handshake failed"),
          server.protocolErrors().toString());

      try (TestClient client =
          TestClient.over(tls(server, CERTS.trustingSslContext(), "localhost"))) {
        client.send(Wire.message("app", SECONDS, 0, Map.of(), "c1"));
        assertEquals("c1", client.readAck());
      }
      assertEquals("TLSv1.2", server.tlsSessions().get(0).protocol());
      assertEquals(List.of("TLSv1.2"), server.config().tlsProtocols());
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCaFailsAndTheServerRecordsIt() {
    TestCertificates other = TestCertificates.create();
    try (ForwardServer server = ForwardServer.builder().tls(CERTS).build()) {
      assertThrows(SSLHandshakeException.class,
          () -> tls(server, other.trustingSslContext(), "localhost").close());
      Await.until("the failure recorded", TIMEOUT, () -> server.tlsFailures().size() == 1);
      assertEquals(0, server.tlsSessions().size());
    }
  }

  @Test
  void aCertificateForAnotherNameFailsHostnameVerification() {
    TestCertificates wrongName = TestCertificates.builder().serverNames("other.example").build();
    try (ForwardServer server = ForwardServer.builder().tls(wrongName).build()) {
      SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
          () -> tls(server, wrongName.trustingSslContext(), "localhost").close());
      assertTrue(e.getMessage().contains("localhost"), e.getMessage());
    }
  }

  @Test
  void aSelfSignedCertificateIsTrustedOnlyByItself() throws IOException {
    TestCertificates selfSigned = TestCertificates.builder().selfSigned(true).build();
    try (ForwardServer server = ForwardServer.builder().tls(selfSigned).build()) {
      assertThrows(SSLHandshakeException.class,
          () -> tls(server, selfSigned.trustingSslContext(), "localhost").close());
      SSLContext pinned = TestCertificates.sslContextTrusting(selfSigned.serverCertificate());
      tls(server, pinned, "localhost").close();
      Await.until("one session", TIMEOUT, () -> server.tlsSessions().size() == 1);
    }
  }

  @Test
  void rsaCertificatesWork() throws IOException {
    TestCertificates rsa = TestCertificates.builder().keyType(TestCertificates.KeyType.RSA).build();
    try (ForwardServer server = ForwardServer.builder().tls(rsa)
            .requireClientCertificate(rsa.caCertificate()).tlsProtocols("TLSv1.2").build();
        TestClient client = TestClient.over(tls(server, rsa.clientSslContext(), "localhost"))) {
      client.send(Wire.message("app", SECONDS, 0, Map.of(), "c1"));
      assertEquals("c1", client.readAck());
    }
  }

  @Test
  void mutualTlsAcceptsAClientCertificateSignedByTheTrustedCa() throws IOException {
    try (ForwardServer server = ForwardServer.builder().tls(CERTS)
            .requireClientCertificate(CERTS.caCertificate()).build();
        TestClient client = TestClient.over(tls(server, CERTS.clientSslContext(), "localhost"))) {
      client.send(Wire.message("app", SECONDS, 0, Map.of(), "c1"));
      assertEquals("c1", client.readAck());
      assertEquals("CN=" + TestCertificates.DEFAULT_CLIENT_NAME,
          server.tlsSessions().get(0).clientCertificateSubject());
      assertTrue(server.config().clientCertificateRequired());
    }
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificate() throws IOException {
    try (ForwardServer server = ForwardServer.builder().tls(CERTS)
            .requireClientCertificate(CERTS.caCertificate()).build()) {
      assertClientRefused(server, CERTS.trustingSslContext());
    }
  }

  @Test
  void mutualTlsRefusesAClientCertificateOfAnotherCa() throws IOException {
    TestCertificates other = TestCertificates.create();
    try (ForwardServer server = ForwardServer.builder().tls(CERTS)
            .requireClientCertificate(CERTS.caCertificate()).build()) {
      // The client trusts the server's CA but presents a certificate of another CA.
      SSLContext context = TestCertificates.sslContext(other.clientKeyStore(), CERTS.trustStore());
      assertClientRefused(server, context);
    }
  }

  /**
   * Under TLS 1.3 the client finishes its side before the server checks its certificate, so the
   * refusal shows on the client's first read.
   */
  private static void assertClientRefused(ForwardServer server, SSLContext context)
      throws IOException {
    try (SSLSocket socket = tls(server, context, "localhost")) {
      int read = socket.getInputStream().read();
      fail("the server should have refused the client, but the read gave " + read);
    } catch (SSLException | java.net.SocketException refused) {
      // the server's alert, or the closed connection
    }
    Await.until("the failure recorded", TIMEOUT, () -> server.tlsFailures().size() == 1);
    assertEquals(0, server.tlsSessions().size());
    assertEquals(1, server.connectionCount());
  }

  @Test
  void aPlainClientFailsTheTlsHandshakeAndTheServerKeepsServing() throws IOException {
    try (ForwardServer server = ForwardServer.builder().tls(CERTS).build()) {
      try (TestClient plain = TestClient.connect(server)) {
        plain.send(Wire.message("app", SECONDS, 0, Map.of(), "c1"));
        byte[] answer = plain.readUntilClosed();
        assertEquals(0x15, answer[0], "a TLS alert record, then the close");
      }
      Await.until("the failure recorded", TIMEOUT, () -> server.tlsFailures().size() == 1);
      try (TestClient client =
          TestClient.over(tls(server, CERTS.trustingSslContext(), "localhost"))) {
        client.send(Wire.message("app", SECONDS, 0, Map.of(), "c2"));
        assertEquals("c2", client.readAck());
      }
      assertEquals(1, server.requestCount());
    }
  }

  @ParameterizedTest
  @EnumSource(HandshakeFlavour.class)
  void tlsAndTheSharedKeyHandshakeTogether(HandshakeFlavour flavour) throws IOException {
    try (ForwardServer server = ForwardServer.builder().tls(CERTS)
            .requireClientCertificate(CERTS.caCertificate())
            .sharedKey("k").handshakeFlavour(flavour).selfHostname("secure-aggregator").build();
        TestClient client = TestClient.over(tls(server, CERTS.clientSslContext(), "localhost"))) {
      Helo helo = readHelo(client);
      client.send(ping(helo, "k"));
      assertPongAccepts(client, helo, "secure-aggregator", "k");
      client.send(Wire.message("app", SECONDS, 0, Map.of(), "c1"));
      assertEquals("c1", client.readAck());
      assertTrue(server.handshakes().get(0).accepted());
    }
  }

  @Test
  void closeEndsAConnectionStuckInTheTlsHandshakeAndLeavesNoThread() {
    ForwardServer server = ForwardServer.builder().tls(CERTS).build();
    String prefix = "forward-server-" + server.port() + "-";
    try (TestClient silent = TestClient.connect(server)) {
      Await.until("the connection accepted", TIMEOUT, () -> server.openConnections() == 1);
      server.close();
      assertEquals(Set.of(), Await.threadsNamed(prefix));
      assertEquals(0, server.openConnections());
      silent.readUntilClosed(); // at most a TLS alert, then the close
    }
    assertEquals(List.of(), server.tlsFailures(), "a connection the server closed is no failure");
  }

  @Test
  void tlsOptionsNeedTlsAndKnownProtocols() {
    assertThrows(IllegalStateException.class,
        () -> ForwardServer.builder().tlsProtocols("TLSv1.2").build());
    assertThrows(IllegalStateException.class,
        () -> ForwardServer.builder().requireClientCertificate(CERTS.caCertificate()).build());
    assertThrows(IllegalArgumentException.class,
        () -> ForwardServer.builder().tlsProtocols("TLSv9"));
    assertThrows(IllegalArgumentException.class, () -> ForwardServer.builder().tlsProtocols());
  }
}
