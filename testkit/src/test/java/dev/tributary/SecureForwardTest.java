package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ForwardServerConfig;
import dev.tributary.testkit.HandshakeFlavour;
import dev.tributary.testkit.ReceivedHandshake;
import dev.tributary.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS verified by default (trust, host name, protocol versions, mutual TLS) and the shared-key
 * handshake of {@code <security>} against both servers' behaviour: on refusal no event is written,
 * the reason reaches the listener, and no secret appears anywhere.
 */
class SecureForwardTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String KEY = "s3cret-shared-key";
  private static final String PASSWORD = "pa55-w0rd";

  @TempDir
  Path dir;

  /** What the listener was told. */
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<Throwable> causes = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  private final TributaryListener listener = new TributaryListener() {
    @Override
    public void onConnectionFailure(String server, Throwable cause) {
      failures.add(String.valueOf(cause));
      causes.add(cause);
    }

    @Override
    public void onWarning(String message) {
      warnings.add(message);
    }
  };

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private Tributary.Builder client(ForwardServer server) {
    return Tributary.builder().server("localhost", server.port())
        .connectTimeout(Duration.ofSeconds(5))
        .retryInitialBackoff(Duration.ofMillis(20)).retryMaxBackoff(Duration.ofMillis(200))
        .reportInterval(Duration.ofMillis(1)).closeTimeout(Duration.ofMillis(300)).listener(listener);
  }

  private static ForwardServer server(UnaryOperator<ForwardServerConfig.Builder> options) {
    return options.apply(ForwardServer.builder()).build();
  }

  /** Emits one event and checks it arrives. */
  private static void delivers(Tributary t, ForwardServer server) {
    t.emit("secure", Map.of("n", 1));
    assertEquals(1L, server.awaitEvents(1, WAIT).get(0).get("n"));
    Await.until("delivered", WAIT, () -> t.metrics().delivered() == 1);
  }

  /** Emits one event; checks the listener is told {@code reason} and the server stores nothing. */
  private void refused(Tributary t, ForwardServer server, String reason) {
    t.emit("secure", Map.of("n", 1));
    Await.until("a failure naming: " + reason, WAIT,
        () -> failures.stream().anyMatch(f -> f.contains(reason)));
    assertEquals(0, server.eventCount(), "no event written on a refused connection");
    assertEquals(0, t.metrics().delivered());
  }

  @Test
  void tlsWithTheServersCaTrustedDelivers() {
    TestCertificates certs = TestCertificates.create();
    TestCertificates.PemFiles pem = certs.writePem(dir);
    try (ForwardServer server = server(b -> b.tls(certs));
        Tributary t = client(server).tls(true).tlsCaFile(pem.caCertificate()).build()) {
      delivers(t, server);
      assertEquals("TLSv1.3", server.tlsSessions().get(0).protocol());
    }
  }

  @Test
  void aCertificateNotTrustedIsRefused() {
    try (ForwardServer server = server(b -> b.tls(TestCertificates.create()));
        Tributary t = client(server).tls(true).build()) {
      refused(t, server, "certificate is not trusted");
    }
  }

  @Test
  void aCertificateForAnotherHostIsRefused() {
    TestCertificates certs = TestCertificates.builder().serverNames("other.example").build();
    try (ForwardServer server = server(b -> b.tls(certs));
        Tributary t = client(server).tls(true).tlsCaFile(certs.writePem(dir).caCertificate()).build()) {
      refused(t, server, "does not match the host name localhost");
    }
  }

  @Test
  void noTlsVersionInCommonIsRefused() {
    TestCertificates certs = TestCertificates.create();
    try (ForwardServer server = server(b -> b.tls(certs).tlsProtocols("TLSv1.2"));
        Tributary t = client(server).tls(true).tlsCaFile(certs.writePem(dir).caCertificate())
            .tlsMinVersion("TLSv1.3").build()) {
      refused(t, server, "no TLS version in common");
    }
  }

  @Test
  void tlsInsecureAcceptsASelfSignedServerAndSaysSoOnce() {
    TestCertificates certs = TestCertificates.builder().selfSigned(true).serverNames("other.example").build();
    try (ForwardServer server = server(b -> b.tls(certs));
        Tributary t = client(server).tls(true).tlsInsecure(true).build()) {
      delivers(t, server);
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("NOT verified"), warnings.get(0));
    }
  }

  @Test
  void mutualTlsPresentsTheClientCertificate() {
    TestCertificates certs = TestCertificates.create();
    TestCertificates.PemFiles pem = certs.writePem(dir);
    try (ForwardServer server = server(b -> b.tls(certs).requireClientCertificate(certs.caCertificate()));
        Tributary t = client(server).tls(true).tlsCaFile(pem.caCertificate())
            .tlsCertFile(pem.clientCertificate()).tlsKeyFile(pem.clientKey()).build()) {
      delivers(t, server);
      assertNotNull(server.tlsSessions().get(0).clientCertificateSubject());
    }
  }

  @Test
  void mutualTlsWithoutAClientCertificateDeliversNothing() {
    TestCertificates certs = TestCertificates.create();
    try (ForwardServer server = server(b -> b.tls(certs).requireClientCertificate(certs.caCertificate()));
        Tributary t = client(server).tls(true).tlsCaFile(certs.writePem(dir).caCertificate()).build()) {
      t.emit("secure", Map.of("n", 1));
      Await.until("the server refusing the client", WAIT, () -> !server.tlsFailures().isEmpty() && !failures.isEmpty());
      assertEquals(0, server.eventCount());
      assertEquals(0, t.metrics().delivered());
    }
  }

  @Test
  void theSharedKeyHandshakeWithFluentdAndFluentBit() {
    for (HandshakeFlavour flavour : HandshakeFlavour.values()) {
      try (ForwardServer server = server(b -> b.sharedKey(KEY).handshakeFlavour(flavour));
          Tributary t = client(server).sharedKey(KEY).selfHostname("app-host").build()) {
        delivers(t, server);
        ReceivedHandshake h = server.handshakes().get(0);
        assertTrue(h.accepted(), flavour + ": " + h);
        assertEquals("app-host", h.clientHostname());
      }
    }
  }

  @Test
  void aWrongKeyIsRefusedWithTheReasonByFluentdAndAsASilentCloseByFluentBit() {
    Map<HandshakeFlavour, String> reasons = Map.of(
        HandshakeFlavour.FLUENTD, "refused the handshake: shared_key mismatch",
        HandshakeFlavour.FLUENT_BIT, "most likely the shared key differs");
    for (HandshakeFlavour flavour : HandshakeFlavour.values()) {
      failures.clear();
      causes.clear();
      try (ForwardServer server = server(b -> b.sharedKey("another-key").handshakeFlavour(flavour));
          Tributary t = client(server).sharedKey(KEY).build()) {
        refused(t, server, reasons.get(flavour));
        assertTrue(causes.stream().anyMatch(c -> c instanceof HandshakeException), causes.toString());
      }
      assertNoSecretIn(failures);
    }
  }

  @Test
  void userAuthentication() {
    try (ForwardServer server = server(b -> b.sharedKey(KEY).users(Map.of("app", PASSWORD)));
        Tributary t = client(server).sharedKey(KEY).username("app").password(PASSWORD).build()) {
      delivers(t, server);
      assertEquals("app", server.handshakes().get(0).username());
    }
    for (HandshakeFlavour flavour : HandshakeFlavour.values()) {
      failures.clear();
      try (ForwardServer server = server(b -> b.sharedKey(KEY).users(Map.of("app", PASSWORD)).handshakeFlavour(flavour));
          Tributary t = client(server).sharedKey(KEY).username("app").password("wrong-" + PASSWORD).build()) {
        refused(t, server, "username/password mismatch");
      }
      assertNoSecretIn(failures);
    }
  }

  @Test
  void aServerThatDoesNotKnowTheKeyIsRefused() {
    try (ForwardServer server = server(b -> b.sharedKey(KEY).wrongServerKey(true));
        Tributary t = client(server).sharedKey(KEY).build()) {
      refused(t, server, "could not prove that it knows the shared key");
      assertTrue(server.handshakes().get(0).accepted(), "the server itself accepted the client");
    }
    assertNoSecretIn(failures);
  }

  @Test
  void tlsAndTheSharedKeyTogether() {
    TestCertificates certs = TestCertificates.create();
    try (ForwardServer server = server(b -> b.tls(certs).sharedKey(KEY).handshakeFlavour(HandshakeFlavour.FLUENT_BIT));
        Tributary t = client(server).tls(true).tlsCaFile(certs.writePem(dir).caCertificate()).sharedKey(KEY).build()) {
      delivers(t, server);
      assertTrue(server.handshakes().get(0).accepted());
      assertFalse(server.tlsSessions().isEmpty());
    }
  }

  @Test
  void aHeloWithoutKeepaliveGetsOneRequestPerConnection() {
    try (ForwardServer server = server(b -> b.sharedKey(KEY).denyKeepalive(true));
        Tributary t = client(server).sharedKey(KEY).chunkMaxRecords(1).build()) {
      for (int i = 0; i < 5; i++) {
        t.emit("secure", Map.of("n", i));
      }
      t.flush();
      Await.until("all delivered", WAIT, () -> t.metrics().delivered() == 5);
      assertEquals(5, server.events().size(), "no duplicates");
      assertEquals(5, server.handshakes().size(), "a new connection, and handshake, per request");
      assertEquals(0, t.close(WAIT));
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void badTlsFilesAreNamedAtBuild() {
    Path missing = dir.resolve("missing.pem");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Tributary.builder().server("localhost", 24224).tls(true).tlsCaFile(missing).build());
    assertTrue(e.getMessage().startsWith("tlsCaFile: cannot read " + missing), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Tributary.builder().server("localhost", 24224).tlsCaFile(missing).build());
    assertTrue(e.getMessage().contains("set tls(true)"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Tributary.builder().server("localhost", 24224).username("u").password("p").build());
    assertTrue(e.getMessage().contains("need sharedKey"), e.getMessage());
  }

  private static void assertNoSecretIn(List<String> messages) {
    for (String m : messages) {
      assertFalse(m.contains(KEY) || m.contains(PASSWORD), "a secret in: " + m);
    }
  }
}
