package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Fault;
import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With acks on, a server that dies mid-chunk, withholds an ack or sends a wrong one loses
 * nothing: every event arrives, and duplicates come only from counted resends.
 */
class FaultToleranceTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int EVENTS = 5_000;

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private static Tributary.Builder client(ForwardServer server) {
    return Tributary.builder().server("127.0.0.1", server.port()).requireAck(true)
        .chunkMaxRecords(100)
        .ackTimeout(Duration.ofMillis(500))
        .retryInitialBackoff(Duration.ofMillis(10))
        .retryMaxBackoff(Duration.ofMillis(200));
  }

  private static void emitNumbered(Tributary t, int n) {
    for (int i = 0; i < n; i++) {
      t.emit("faults", Map.of("seq", i));
    }
    t.flush();
  }

  /** Asserts that every seq 0..n-1 arrived; returns how many arrivals were duplicates. */
  private static long assertAllArrived(ForwardServer server, int n) {
    Await.until("all " + n + " distinct events", WAIT, () -> distinct(server.events()).size() == n);
    List<ReceivedEvent> events = server.events();
    return events.size() - distinct(events).size();
  }

  private static Set<Long> distinct(List<ReceivedEvent> events) {
    Set<Long> s = new HashSet<>();
    for (ReceivedEvent e : events) {
      s.add((Long) e.record().get("seq"));
    }
    return s;
  }

  private void runWith(Fault... faults) {
    try (ForwardServer server = ForwardServer.start()) {
      for (Fault f : faults) {
        server.enqueueFault(f);
      }
      try (Tributary t = client(server).build()) {
        emitNumbered(t, EVENTS);
        long duplicates = assertAllArrived(server, EVENTS);
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == EVENTS);
        TributaryMetrics m = t.metrics();
        assertTrue(m.retries() > 0, "the fault caused a retry: " + m);
        assertTrue(duplicates <= m.resentEvents(), duplicates + " duplicates, resent " + m.resentEvents());
        assertEquals(0, m.droppedTotal());
        assertEquals(0, m.failedTotal());
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      }
    }
  }

  @Test
  void serverClosingMidChunkLosesNothing() {
    try (ForwardServer server = ForwardServer.start()) {
      server.closeAfterBytes(10_000);
      try (Tributary t = client(server).build()) {
        emitNumbered(t, EVENTS);
        long duplicates = assertAllArrived(server, EVENTS);
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == EVENTS);
        TributaryMetrics m = t.metrics();
        assertTrue(m.retries() > 0, "the cut caused a retry: " + m);
        assertTrue(duplicates <= m.resentEvents());
        assertTrue(server.connectionCount() >= 2, "reconnected");
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      }
    }
  }

  @Test
  void serverDroppingAChunkAndClosingLosesNothing() {
    runWith(Fault.DROP_AND_CLOSE);
  }

  @Test
  void withheldAckMeansResendAfterAckTimeout() {
    runWith(Fault.NO_ACK);
  }

  @Test
  void wrongAckMeansResend() {
    runWith(Fault.WRONG_ACK);
  }

  @Test
  void closeBeforeAckMeansResend() {
    runWith(Fault.CLOSE_BEFORE_ACK, Fault.CLOSE_BEFORE_ACK);
  }

  @Test
  void serverDownAtStartAndUpThreeSecondsLaterGetsEverythingWithoutStallingCallers() throws Exception {
    Duration maxBlock = Duration.ofMillis(100);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      try (Tributary t = client(server).maxBlock(maxBlock).build()) {
        scheduler.schedule(() -> server.refuseConnections(false), 3, TimeUnit.SECONDS);
        AtomicLong slowest = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        int n = 0;
        while (System.nanoTime() - end < 0) {
          long start = System.nanoTime();
          t.emit("faults", Map.of("seq", n++));
          slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
          // an application's pace, about a thousand events a second: not a synchronisation
          LockSupport.parkNanos(1_000_000L);
        }
        t.flush();
        int total = n;
        assertAllArrived(server, total);
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == total);
        assertTrue(t.metrics().retries() > 0);
        Accounting.assertIdentity(t.metrics());
        assertEquals(0, t.metrics().droppedTotal());
        // generous margin over the bound: a caller must never wait on the network
        assertTrue(slowest.get() < maxBlock.toNanos() + TimeUnit.MILLISECONDS.toNanos(2000),
            "slowest emit took " + slowest.get() / 1_000_000 + " ms");
      }
    } finally {
      scheduler.shutdownNow();
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void retryLimitGivesUpCountsAndTellsTheListener() {
    AtomicLong failedEvents = new AtomicLong();
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      try (Tributary t = client(server).retryMaxAttempts(3)
          .listener(new TributaryListener() {
            @Override
            public void onChunkFailed(String tag, int events, FailureReason reason, Throwable cause) {
              failedEvents.addAndGet(events);
            }
          }).build()) {
        emitNumbered(t, 250);
        Await.until("chunks given up", WAIT, () -> t.metrics().failed(FailureReason.RETRIES_EXHAUSTED) == 250);
        assertEquals(250, failedEvents.get());
        assertEquals(3, t.metrics().failedChunks(), "100 + 100 + 50 records");
        assertEquals(0, t.close(Duration.ofSeconds(5)));
        Accounting.assertSettled(t.metrics());
      }
    }
  }

  @Test
  void aServerThatStopsReadingIsDroppedAfterWriteTimeoutAndDeliveryResumes() {
    try (ForwardServer server = ForwardServer.builder().receiveBufferSize(4096).build()) {
      server.stallReading(true);
      try (Tributary t = client(server).writeTimeout(Duration.ofMillis(300)).chunkMaxRecords(0)
          .listener(TributaryListener.NONE).build()) {
        String text = "w".repeat(200);
        for (int i = 0; i < 20_000; i++) {
          t.emit("faults", Map.of("seq", i, "text", text));
        }
        t.flush();
        Await.until("a stalled write to be given up", WAIT, () -> t.metrics().retries() > 0);
        server.stallReading(false);
        assertAllArrived(server, 20_000);
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == 20_000);
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      }
    }
  }

  @Test
  void failsOverToTheNextServerAndBack() {
    try (ForwardServer a = ForwardServer.start(); ForwardServer b = ForwardServer.start()) {
      a.refuseConnections(true);
      try (Tributary t = Tributary.builder()
          .server("127.0.0.1", a.port()).server("127.0.0.1", b.port())
          .retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(100))
          .listener(TributaryListener.NONE).build()) {
        t.emit("failover", Map.of("seq", 0L));
        t.flush();
        assertEquals(0L, b.awaitEvents(1, WAIT).get(0).get("seq"));
        // acknowledged before b goes down, else the at-least-once resend lands on a first
        Await.until("the first delivered", WAIT, () -> t.metrics().delivered() == 1);
        a.refuseConnections(false);
        b.refuseConnections(true);
        t.emit("failover", Map.of("seq", 1L));
        t.flush();
        assertEquals(1L, a.awaitEvents(1, WAIT).get(0).get("seq"));
        Await.until("both delivered", WAIT, () -> t.metrics().delivered() == 2);
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      }
    }
  }

  @Test
  void aServerThatClosesAfterEachAckGetsNoDuplicates() {
    try (ForwardServer server = ForwardServer.builder().denyKeepalive(true).build()) {
      try (Tributary t = client(server).chunkMaxRecords(50).listener(TributaryListener.NONE).build()) {
        emitNumbered(t, 1000);
        assertAllArrived(server, 1000);
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == 1000);
        assertEquals(1000, server.events().size(), "nothing pipelined was stored unacknowledged and resent");
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      }
    }
  }
}
