package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Overflow policies with a dead server, close with a live and a dead one, and clean shutdown. */
class LifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long BUDGET = 1024 * 1024;

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private static Tributary.Builder deadServerClient(ForwardServer server, OverflowPolicy policy) {
    return Tributary.builder().server("127.0.0.1", server.port())
        .bufferMaxBytes(BUDGET).chunkMaxBytes(64 * 1024)
        .overflowPolicy(policy).maxBlock(Duration.ofMillis(50))
        .retryInitialBackoff(Duration.ofMillis(50)).listener(TributaryListener.NONE)
        .closeTimeout(Duration.ofMillis(200));
  }

  private static final Map<String, Object> RECORD = Map.of("message", "m".repeat(200));

  @Test
  void dropNewestWithDeadServerCountsEveryDropExactlyAndStaysInBudget() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      System.gc();
      long heapBefore = mem.getHeapMemoryUsage().getUsed();
      try (Tributary t = deadServerClient(server, OverflowPolicy.DROP_NEWEST).build()) {
        for (int i = 0; i < 100_000; i++) {
          t.emit("overflow", RECORD);
        }
        TributaryMetrics m = t.metrics();
        assertEquals(100_000, m.emitted());
        assertTrue(m.dropped(DropReason.BUFFER_FULL) > 90_000, m.toString());
        assertEquals(0, m.delivered());
        Accounting.assertIdentity(m);
        assertTrue(m.bufferedBytes() <= BUDGET, m.toString());
        System.gc();
        long grown = mem.getHeapMemoryUsage().getUsed() - heapBefore;
        // 100,000 events of ~220 bytes would be 22 MB unbounded; the budget is 1 MiB
        assertTrue(grown < BUDGET + 8 * 1024 * 1024, "heap grew by " + grown);
        long undelivered = t.close(Duration.ofMillis(200));
        assertEquals(m.bufferedEvents(), undelivered);
        Accounting.assertIdentity(t.metrics());
      }
    }
  }

  @Test
  void blockWaitsAtMostMaxBlockThenDropsWithoutWaitingAgain() {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      try (Tributary t = deadServerClient(server, OverflowPolicy.BLOCK).build()) {
        long slowest = 0;
        int waited = 0;
        for (int i = 0; i < 20_000; i++) {
          long start = System.nanoTime();
          t.emit("overflow", RECORD);
          long took = System.nanoTime() - start;
          slowest = Math.max(slowest, took);
          if (took > TimeUnit.MILLISECONDS.toNanos(40)) {
            waited++;
          }
        }
        TributaryMetrics m = t.metrics();
        assertTrue(m.dropped(DropReason.BUFFER_FULL) > 0);
        Accounting.assertIdentity(m);
        // generous: a GC pause or a busy CI machine may stretch one call; an unbounded wait never ends
        assertTrue(slowest < TimeUnit.MILLISECONDS.toNanos(50 + 2000), "slowest " + slowest / 1_000_000 + " ms");
        // without the rule every one of the 20,000 calls would wait 50 ms; pauses may add a few
        assertTrue(waited <= 5, "after one bounded wait later callers drop at once; waited " + waited);
      }
    }
  }

  @Test
  void throwPolicyThrowsBufferFullWithTheNumbers() {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      try (Tributary t = deadServerClient(server, OverflowPolicy.THROW).build()) {
        BufferFullException e = assertThrows(BufferFullException.class, () -> {
          for (int i = 0; i < 100_000; i++) {
            t.emit("overflow", RECORD);
          }
        });
        assertTrue(e.getMessage().contains("bufferMaxBytes=" + BUDGET), e.getMessage());
        assertEquals(1, t.metrics().dropped(DropReason.BUFFER_FULL));
        Accounting.assertIdentity(t.metrics());
      }
    }
  }

  @Test
  void dropOldestEvictsQueuedChunksAndKeepsTheNewest() {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      try (Tributary t = deadServerClient(server, OverflowPolicy.DROP_OLDEST).build()) {
        for (int i = 0; i < 50_000; i++) {
          t.emit("overflow", Map.of("message", "m".repeat(200), "seq", i));
        }
        TributaryMetrics m = t.metrics();
        assertTrue(m.dropped(DropReason.EVICTED) > 40_000, m.toString());
        Accounting.assertIdentity(m);
        server.refuseConnections(false);
        t.flush();
        Await.until("buffer drained", WAIT, () -> t.metrics().bufferedEvents() + t.metrics().inFlightEvents() == 0);
        long newest = server.events().stream().mapToLong(e -> (Long) e.record().get("seq")).max().orElse(-1);
        assertEquals(49_999, newest, "the newest event survived");
        Accounting.assertIdentity(t.metrics());
      }
    }
  }

  @Test
  void closeWithALiveServerDeliversEverything() {
    try (ForwardServer server = ForwardServer.start()) {
      Tributary t = Tributary.builder().server("127.0.0.1", server.port())
          .flushInterval(Duration.ofHours(1)).build();
      for (int i = 0; i < 10_000; i++) {
        t.emit("close.live", Map.of("i", i));
      }
      assertEquals(0, t.close(WAIT));
      assertEquals(10_000, server.eventCount());
      assertEquals(10_000, t.metrics().delivered());
      Await.until("server sees the connection closed", WAIT, () -> server.openConnections() == 0);
      t.emit("close.live", Map.of("late", true));
      assertEquals(1, t.metrics().dropped(DropReason.CLOSED));
      assertEquals(0, t.close(WAIT), "idempotent");
    }
  }

  @Test
  void closeWithADeadServerReturnsWithinItsTimeoutAndReportsTheUndelivered() {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      Tributary t = Tributary.builder().server("127.0.0.1", server.port())
          .listener(TributaryListener.NONE).build();
      for (int i = 0; i < 1_000; i++) {
        t.emit("close.dead", Map.of("i", i));
      }
      long start = System.nanoTime();
      long undelivered = t.close(Duration.ofMillis(500));
      long took = System.nanoTime() - start;
      assertEquals(1_000, undelivered);
      assertEquals(1_000, t.metrics().failed(FailureReason.UNDELIVERED_AT_CLOSE));
      assertTrue(took < TimeUnit.MILLISECONDS.toNanos(500 + 1500), "close took " + took / 1_000_000 + " ms");
      Accounting.assertIdentity(t.metrics());
    }
  }

  @Test
  void closeWithAStalledServerBreaksTheBlockedWriteAndReturnsInTime() {
    try (ForwardServer server = ForwardServer.builder().receiveBufferSize(4096).build()) {
      server.stallReading(true);
      Tributary t = Tributary.builder().server("127.0.0.1", server.port())
          .writeTimeout(Duration.ofMinutes(5)).listener(TributaryListener.NONE).build();
      for (int i = 0; i < 50_000; i++) {
        t.emit("close.stalled", Map.of("message", "s".repeat(200)));
      }
      t.flush();
      long start = System.nanoTime();
      long undelivered = t.close(Duration.ofMillis(500));
      long took = System.nanoTime() - start;
      assertTrue(undelivered > 0);
      assertTrue(took < TimeUnit.MILLISECONDS.toNanos(500 + 1500), "close took " + took / 1_000_000 + " ms");
      Accounting.assertIdentity(t.metrics());
    }
  }

  @Test
  void afterCloseNoThreadOrConnectionIsLeft() {
    try (ForwardServer server = ForwardServer.start()) {
      Tributary t = Tributary.builder().server("127.0.0.1", server.port()).name("leakcheck").build();
      t.emit("leak", Map.of("a", 1));
      t.flush();
      server.awaitEvents(1, WAIT);
      assertTrue(Await.threadsNamed("tributary-").contains("tributary-flusher-leakcheck"));
      assertTrue(Await.threadsNamed("tributary-").contains("tributary-acks-leakcheck"));
      t.close(WAIT);
      assertTrue(Await.threadsNamed("tributary-").isEmpty(), "alive: " + Await.threadsNamed("tributary-"));
      Await.until("server sees no open connection", WAIT, () -> server.openConnections() == 0);
    }
  }

  @Test
  void dropsAreReportedAsARateLimitedSummaryNotPerEvent() {
    java.util.List<Map<DropReason, Long>> summaries = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      Tributary t = deadServerClient(server, OverflowPolicy.DROP_NEWEST)
          .reportInterval(Duration.ofMillis(200))
          .listener(new TributaryListener() {
            @Override
            public void onSummary(Map<DropReason, Long> dropped, Map<FailureReason, Long> failed) {
              summaries.add(dropped);
            }
          }).build();
      long start = System.nanoTime();
      for (int i = 0; i < 50_000; i++) {
        t.emit("overflow", RECORD);
      }
      long dropped = t.metrics().dropped(DropReason.BUFFER_FULL);
      Await.until("a summary", WAIT, () -> !summaries.isEmpty());
      t.close(Duration.ZERO);
      long intervals = (System.nanoTime() - start) / TimeUnit.MILLISECONDS.toNanos(200);
      long reported = summaries.stream().mapToLong(m -> m.getOrDefault(DropReason.BUFFER_FULL, 0L)).sum();
      assertEquals(dropped, reported, "every drop is in some summary");
      assertTrue(summaries.size() <= intervals + 2,
          "one summary per interval at most, not one per drop: " + summaries.size() + " in " + intervals + " intervals");
    }
  }

  @Test
  void closeBreaksOffAConnectThatHangs() throws Exception {
    // a listener whose accept queue is full drops further SYNs, so a connect to it hangs
    try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      java.util.List<java.net.Socket> fillers = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          java.net.Socket f = new java.net.Socket();
          try {
            f.connect(full.getLocalSocketAddress(), 200);
            fillers.add(f);
          } catch (java.io.IOException queueFull) {
            f.close();
            break;
          }
        }
        Tributary t = Tributary.builder().server("127.0.0.1", full.getLocalPort())
            .connectTimeout(Duration.ofMinutes(5)).listener(TributaryListener.NONE).build();
        t.emit("connect.hangs", Map.of("a", 1));
        t.flush();
        long start = System.nanoTime();
        assertEquals(1, t.close(Duration.ofMillis(300)));
        long took = System.nanoTime() - start;
        assertTrue(took < TimeUnit.MILLISECONDS.toNanos(300 + 1500), "close took " + took / 1_000_000 + " ms");
      } finally {
        for (java.net.Socket f : fillers) {
          f.close();
        }
      }
    }
  }
}
