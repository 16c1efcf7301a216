package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The proxy forwards faithfully, counts, and leaves no thread or socket behind. */
class FaultProxyTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;

  static byte[] message(String chunk) {
    return Wire.message("app", SECONDS, 0, Map.of("chunk", chunk), chunk);
  }

  static byte[] ack(String chunk) {
    return Wire.pack(p -> {
      p.packMapHeader(1);
      p.packString("ack");
      p.packString(chunk);
    });
  }

  static Set<String> threads(FaultProxy proxy) {
    return Await.threadsNamed(FaultProxy.THREAD_PREFIX + proxy.port() + "-");
  }

  static String thread(FaultProxy proxy, String suffix) {
    return FaultProxy.THREAD_PREFIX + proxy.port() + "-" + suffix;
  }

  @Test
  void forwardsBothWaysAndCountsBytesAndConnections() {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(server);
        TestClient client = TestClient.connect(proxy.address())) {
      client.send(message("a"), message("b"));

      assertEquals("a", client.readAck());
      assertEquals("b", client.readAck());
      assertEquals(2, server.events().size());
      assertEquals(1, proxy.connectionCount());
      assertEquals(1, proxy.openConnections());
      assertEquals(message("a").length + message("b").length, proxy.bytesToUpstream());
      long acks = ack("a").length + ack("b").length;
      Await.until("both acks counted", TIMEOUT, () -> proxy.bytesToClient() == acks);
      assertEquals(Set.of(thread(proxy, "accept"), thread(proxy, "1-up"), thread(proxy, "1-down")),
          threads(proxy));
    }
  }

  @Test
  void aHalfCloseIsPassedOnSoTheLastAckStillArrives() {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(server);
        TestClient client = TestClient.connect(proxy.address())) {
      client.send(message("last"));
      client.shutdownOutput();

      assertEquals("last", client.readAck());
      client.assertClosedByServer();
      server.awaitOpenConnections(0, TIMEOUT);
      Await.until("the proxied connection to close", TIMEOUT, () -> proxy.openConnections() == 0);
    }
  }

  @Test
  void aResetFromTheServerEndsThatConnectionOnly() {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(server);
        TestClient first = TestClient.connect(proxy.address());
        TestClient second = TestClient.connect(proxy.address())) {
      server.enqueueFault(Fault.DROP_AND_CLOSE);
      first.send(message("a"));
      first.assertResetByServer();

      second.send(message("b"));
      assertEquals("b", second.readAck());
      Await.until("the reset connection to end", TIMEOUT, () -> proxy.openConnections() == 1);
    }
  }

  @Test
  void threadsEndWithTheirConnectionsAcrossManyConnections() {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).start();
        FaultProxy proxy = FaultProxy.start(server)) {
      for (int i = 0; i < 300; i++) {
        try (TestClient client = TestClient.connect(proxy.address())) {
          client.send(message("c" + i));
          assertEquals("c" + i, client.readAck());
        }
      }
      Await.until("every proxied connection to close", TIMEOUT,
          () -> proxy.openConnections() == 0 && threads(proxy).size() == 1);
      assertEquals(Set.of(thread(proxy, "accept")), threads(proxy));
      assertEquals(300, proxy.connectionCount());
      assertEquals(300, server.eventCount());
    }
  }

  @Test
  void closeResetsEveryConnectionWhateverItsStateAndStopsEveryThread() {
    ForwardServer server = ForwardServer.start();
    FaultProxy proxy = FaultProxy.start(server);
    TestClient forwarding = TestClient.connect(proxy.address());
    forwarding.send(message("a"));
    assertEquals("a", forwarding.readAck());
    proxy.blackHole(true);
    TestClient blackHoled = TestClient.connect(proxy.address());
    proxy.partition();
    TestClient hung = TestClient.connect(proxy.address());
    Await.until("three connections", TIMEOUT, () -> proxy.openConnections() == 3);

    proxy.close();

    assertEquals(Set.of(), threads(proxy));
    assertEquals(0, proxy.openConnections());
    forwarding.assertResetByServer();
    blackHoled.assertResetByServer();
    hung.assertResetByServer();
    server.awaitOpenConnections(0, TIMEOUT);
    assertThrows(IllegalStateException.class, () -> proxy.refuseConnections(false));
    proxy.close(); // idempotent
    forwarding.close();
    blackHoled.close();
    hung.close();
    server.close();
  }

  @Test
  void refuseConnectionsResetsOpenConnectionsThenListensAgainOnTheSamePort() {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(server)) {
      int port = proxy.port();
      try (TestClient client = TestClient.connect(proxy.address())) {
        client.send(message("a"));
        assertEquals("a", client.readAck());

        proxy.refuseConnections(true);
        client.assertResetByServer();
      }
      assertThrows(ConnectException.class, () -> new Socket(proxy.host(), port).close());
      server.awaitOpenConnections(0, TIMEOUT);
      assertEquals(0, proxy.openConnections());

      proxy.refuseConnections(false);
      assertEquals(port, proxy.port());
      try (TestClient again = TestClient.connect(proxy.address())) {
        again.send(message("b"));
        assertEquals("b", again.readAck());
      }
    }
  }

  @Test
  void retargetSendsNewConnectionsToAnotherServerWhileOpenOnesStay() {
    try (ForwardServer old = ForwardServer.start();
        ForwardServer restarted = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(old);
        TestClient before = TestClient.connect(proxy.address())) {
      before.send(message("a"));
      assertEquals("a", before.readAck());

      proxy.retarget(restarted.address());
      assertEquals(restarted.address(), proxy.upstream());
      try (TestClient after = TestClient.connect(proxy.address())) {
        after.send(message("b"));
        assertEquals("b", after.readAck());
      }
      before.send(message("c"));
      assertEquals("c", before.readAck());
      assertEquals(2, old.events().size());
      assertEquals(1, restarted.events().size());

      old.close();
      before.assertResetByServer();
    }
  }

  @Test
  void aServerThatCannotBeReachedResetsTheClient() {
    InetSocketAddress gone;
    try (ForwardServer server = ForwardServer.start()) {
      gone = server.address();
    }
    try (FaultProxy proxy = FaultProxy.start(gone)) {
      TestClient client;
      try {
        client = TestClient.connect(proxy.address());
      } catch (UncheckedIOException e) {
        // The reset can come so soon that it beats the end of the client's connect.
        assertInstanceOf(SocketException.class, e.getCause());
        client = null;
      }
      if (client != null) {
        client.assertResetByServer();
        client.close();
      }
      assertEquals(1, proxy.connectionCount());
      Await.until("the connection to end", TIMEOUT, () -> proxy.openConnections() == 0);
    }
  }

  /** The README's example, with a raw client standing in for the application. */
  @Test
  void readmeExample() {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(server)) {
      // point your application at proxy.host(), proxy.port()
      proxy.partition();             // open connections hang: no FIN, no RST, nothing read
      proxy.heal();                  // new connections get through again
      proxy.throttle(1024);          // client to server at 1 KiB/s: the client's writes back up
      proxy.resetAfterBytes(10_000); // 10,000 more bytes, then an RST to both sides
      proxy.clearFaults();
      try (TestClient application = TestClient.connect(proxy.address())) {
        application.send(message("a"));
        server.awaitEvents(1, Duration.ofSeconds(10));
      }
    }
  }
}
