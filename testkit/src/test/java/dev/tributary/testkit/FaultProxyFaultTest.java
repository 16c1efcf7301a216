package dev.tributary.testkit;

import static dev.tributary.testkit.FaultProxyTest.message;
import static dev.tributary.testkit.FaultProxyTest.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Each network fault of {@link FaultProxy}, seen from a raw client with a server behind. */
class FaultProxyFaultTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  /** How long a negative check waits: nothing arrives, a write does not complete. */
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final long SECONDS = 1_700_000_000L;
  private static final int SMALL_BUFFER = 4096;

  /** A PackedForward request far larger than the small socket buffers. */
  private static byte[] big(String chunk, int events) {
    List<Map<String, ?>> records = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      records.add(Map.of("i", i, "pad", "x".repeat(80)));
    }
    return Wire.packed("app", Wire.entries(SECONDS, records), Map.of("chunk", chunk));
  }

  private static void assertBlocked(CompletableFuture<Void> write, String why) {
    assertThrows(TimeoutException.class,
        () -> write.get(QUIET.toMillis(), TimeUnit.MILLISECONDS), why);
  }

  @Test
  void blackHoleReadsEverythingAnswersNothingAndNeverCloses() throws Exception {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.builder(server.address())
            .receiveBufferSize(SMALL_BUFFER).start();
        TestClient before = TestClient.connect(proxy.address())) {
      before.send(message("a"));
      assertEquals("a", before.readAck());

      proxy.blackHole(true);
      before.send(message("b"));
      before.assertSilentFor(QUIET);
      try (TestClient during = TestClient.connect(proxy.address(), SMALL_BUFFER)) {
        byte[] large = big("large", 5_000);
        during.sendAsync(large).get(5, TimeUnit.SECONDS); // completes only if the proxy reads
        during.assertSilentFor(QUIET);
        assertEquals(2, proxy.openConnections(), "a black hole closes nothing");
      }
      Await.until("the connection whose client left to end", Duration.ofSeconds(10),
          () -> proxy.openConnections() == 1);
      assertEquals(1, server.events().size());
      assertEquals(1, server.connectionCount(), "a black-holed connection never reaches the server");
      assertEquals(message("a").length, proxy.bytesToUpstream());

      proxy.blackHole(false);
      try (TestClient after = TestClient.connect(proxy.address())) {
        after.send(message("c"));
        assertEquals("c", after.readAck());
      }
      before.send(message("d"));
      before.assertSilentFor(QUIET); // once black-holed, always
      assertEquals(2, server.events().size());
    }
  }

  @Test
  void resetAfterBytesResetsBothSidesMidRequestOnce() {
    byte[] first = message("first");
    byte[] second = message("second");
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(server)) {
      proxy.resetAfterBytes(first.length + second.length / 2);
      try (TestClient client = TestClient.connect(proxy.address())) {
        client.send(first);
        assertEquals("first", client.readAck());
        client.send(second);
        client.assertResetByServer();
      }
      assertEquals(first.length + second.length / 2, proxy.bytesToUpstream());
      server.awaitOpenConnections(0, TIMEOUT);
      assertEquals(1, server.events().size(), "the request cut in half is not stored");

      try (TestClient again = TestClient.connect(proxy.address())) {
        again.send(second);
        assertEquals("second", again.readAck(), "the reset is one-shot");
      }
    }
  }

  @Test
  void resetAfterZeroBytesResetsWhicheverConnectionSendsNext() {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(server);
        TestClient client = TestClient.connect(proxy.address())) {
      proxy.resetAfterBytes(0);
      client.send(message("a"));
      client.assertResetByServer();
      assertEquals(0, proxy.bytesToUpstream());
      assertEquals(0, server.eventCount());
    }
  }

  @Test
  void throttleForwardsNoFasterThanTheRateSoTheClientsWritesBackUp() throws Exception {
    int rate = 1024;
    byte[] large = big("large", 600); // about 60 KiB: a minute at 1 KiB/s
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.builder(server.address())
            .receiveBufferSize(SMALL_BUFFER).start();
        TestClient client = TestClient.connect(proxy.address(), SMALL_BUFFER)) {
      proxy.throttle(rate);
      long start = System.nanoTime();
      CompletableFuture<Void> write = client.sendAsync(large);

      assertBlocked(write, "a " + large.length + "-byte write cannot finish at " + rate + " B/s");
      Await.until("bytes to trickle through", TIMEOUT, () -> proxy.bytesToUpstream() > 0);
      long forwarded = proxy.bytesToUpstream();
      double seconds = (System.nanoTime() - start) / 1e9;
      long onePiece = rate / 20;
      assertTrue(forwarded <= rate * seconds + onePiece,
          forwarded + " bytes forwarded in " + seconds + " s");
      assertEquals(0, server.eventCount());

      proxy.throttle(FaultProxy.UNLIMITED);
      write.get(5, TimeUnit.SECONDS);
      assertEquals("large", client.readAck());
      assertEquals(600, server.eventCount());
    }
  }

  @Test
  void partitionHangsOpenConnectionsSilentlyUntilTheClientGivesUpAndHealServesNewOnes()
      throws Exception {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.builder(server.address())
            .receiveBufferSize(SMALL_BUFFER).start();
        TestClient before = TestClient.connect(proxy.address(), SMALL_BUFFER)) {
      before.send(message("a"));
      assertEquals("a", before.readAck());

      proxy.partition();
      CompletableFuture<Void> write = before.sendAsync(big("large", 5_000));
      assertBlocked(write, "a partitioned connection is not read");
      before.assertSilentFor(QUIET);
      assertEquals(1, server.openConnections(), "the server's side hangs too: no FIN, no RST");
      Await.until("the hung connection's pumps to end", TIMEOUT,
          () -> threads(proxy).equals(Set.of(FaultProxyTest.thread(proxy, "accept"))));

      try (TestClient during = TestClient.connect(proxy.address())) {
        during.send(message("b"));
        during.assertSilentFor(QUIET);
      }

      proxy.heal();
      try (TestClient after = TestClient.connect(proxy.address())) {
        after.send(message("c"));
        assertEquals("c", after.readAck());
      }
      before.assertSilentFor(QUIET); // healing does not revive a dropped connection
      assertEquals(2, server.events().size());
      before.close();
      assertThrows(Exception.class, () -> write.get(5, TimeUnit.SECONDS), "closing ends the write");
    }
  }

  @Test
  void clearFaultsEndsEveryFaultForNewConnections() {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(server)) {
      proxy.blackHole(true);
      proxy.partition();
      proxy.throttle(1);
      proxy.resetAfterBytes(0);
      proxy.refuseConnections(true);

      proxy.clearFaults();
      try (TestClient client = TestClient.connect(proxy.address())) {
        client.send(message("a"), message("b"));
        assertEquals("a", client.readAck());
        assertEquals("b", client.readAck());
      }
    }
  }

  @Test
  void faultSettersCheckTheirArguments() {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(server)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> proxy.throttle(0));
      assertEquals("throttle must be > 0 bytes/s, was 0", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> proxy.resetAfterBytes(-1));
      assertThrows(NullPointerException.class, () -> proxy.retarget(null));
    }
  }
}
