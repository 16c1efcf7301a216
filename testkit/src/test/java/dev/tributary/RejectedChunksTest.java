package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ForwardServerConfig;
import dev.tributary.testkit.ReceivedEvent;
import dev.tributary.testkit.ReceivedRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Servers that refuse a request without saying so: Fluentd drops a request over its {@code
 * chunk_size_limit} without an ack and keeps the connection; Fluent Bit resets the connection on a
 * request over its {@code buffer_max_size}. Acks are matched by chunk id, an unacknowledged chunk
 * is split until its events get through, and a single event the server keeps refusing while it
 * acknowledges others is given up as {@link FailureReason#REJECTED}, never blocking the rest.
 */
class RejectedChunksTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TEXT = "t".repeat(150);

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private static Tributary.Builder client(ForwardServer server) {
    return Tributary.builder().server("127.0.0.1", server.port())
        .ackTimeout(Duration.ofMillis(300))
        .retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(100))
        .flushInterval(Duration.ofMillis(20))
        .listener(TributaryListener.NONE);
  }

  private static void emitNumbered(Tributary t, int from, int to) {
    for (int i = from; i < to; i++) {
      t.emit("limits", Map.of("seq", i, "text", TEXT));
    }
  }

  private static Set<Long> distinct(List<ReceivedEvent> events) {
    Set<Long> s = new HashSet<>();
    for (ReceivedEvent e : events) {
      s.add((Long) e.get("seq"));
    }
    return s;
  }

  private static void assertAllArrived(ForwardServer server, int n) {
    Await.until("all " + n + " distinct events", WAIT, () -> distinct(server.events()).size() == n);
  }

  @Test
  void aChunkOverTheServersLimitIsSplitUntilEveryEventGetsThrough() {
    try (ForwardServer server = ForwardServer.builder().dropRequestsOver(1024).build()) {
      try (Tributary t = client(server).build()) {
        emitNumbered(t, 0, 300);
        t.flush(); // one chunk of about 55 KB: far over the limit
        assertAllArrived(server, 300);
        assertEquals(0, t.close(WAIT));
        TributaryMetrics m = t.metrics();
        assertEquals(300, m.delivered());
        assertEquals(0, m.failedTotal());
        assertTrue(server.requests().stream().anyMatch(ReceivedRequest::dropped), "the server dropped requests");
        assertTrue(server.events().size() - 300 <= m.resentEvents());
        Accounting.assertSettled(m);
      }
    }
  }

  @Test
  void anAckForALaterChunkNeverCondemnsAnEarlierOne() {
    try (ForwardServer server = ForwardServer.builder().dropRequestsOver(4096).build()) {
      try (Tributary t = client(server).chunkMaxRecords(5).build()) {
        // the first chunk is refused, the ones behind it are stored and acknowledged
        t.emit("limits", Map.of("seq", 0, "text", "x".repeat(3000)));
        t.emit("limits", Map.of("seq", 1, "text", "x".repeat(3000)));
        t.flush();
        emitNumbered(t, 2, 200);
        t.flush();
        assertAllArrived(server, 200);
        assertEquals(200, server.events().size(), "no chunk that was acknowledged was sent again");
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == 200);
      }
    }
  }

  /**
   * Emits ten small events, one too large for the server, then one small event at a time, as an
   * application that keeps logging would, until the large one is rejected; checks that everything
   * else arrived and returns what the listener was told.
   */
  private static List<String> rejectTheOversizedOne(ForwardServer server) {
    List<String> told = new CopyOnWriteArrayList<>();
    TributaryListener listener = new TributaryListener() {
      @Override
      public void onChunkFailed(String tag, int events, FailureReason reason, Throwable cause) {
        told.add(tag + "/" + events + "/" + reason);
      }
    };
    try (Tributary t = client(server).rejectedAttempts(3).listener(listener).build()) {
      emitNumbered(t, 0, 10);
      t.emit("limits", Map.of("seq", 10, "text", "x".repeat(3000)));
      int[] next = {11};
      Await.until("the oversized event rejected", WAIT, () -> {
        emitNumbered(t, next[0], next[0] + 1);
        next[0]++;
        return t.metrics().failed(FailureReason.REJECTED) == 1;
      });
      int total = next[0];
      assertEquals(0, t.close(WAIT));
      TributaryMetrics m = t.metrics();
      assertEquals(total - 1, m.delivered());
      assertEquals(1, m.failed(FailureReason.REJECTED));
      assertEquals(total - 1, distinct(server.events()).size());
      Accounting.assertSettled(m);
    }
    return told;
  }

  @Test
  void aSingleEventOverTheLimitIsRejectedWhileTheServerAcksOthers() {
    try (ForwardServer server = ForwardServer.builder().dropRequestsOver(1500).build()) {
      assertEquals(List.of("limits/1/REJECTED"), rejectTheOversizedOne(server));
    }
  }

  @Test
  void aServerThatAcknowledgesNothingIsDownNotRejecting() {
    try (ForwardServer server = ForwardServer.builder().dropRequestsOver(1).build()) {
      try (Tributary t = client(server).ackTimeout(Duration.ofMillis(100)).rejectedAttempts(1).build()) {
        emitNumbered(t, 0, 20);
        t.flush();
        Await.until("many unacknowledged attempts", WAIT, () -> t.metrics().retries() >= 20);
        assertEquals(0, t.metrics().failedTotal(), "nothing given up while the server answers nothing");
        server.dropRequestsOver(ForwardServerConfig.NO_SIZE_LIMIT);
        assertAllArrived(server, 20);
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == 20);
      }
    }
  }

  @Test
  void aServerThatResetsOnOversizedRequestsGetsTheChunkSplit() {
    try (ForwardServer server = ForwardServer.builder().resetOnRequestOver(1024).build()) {
      try (Tributary t = client(server).build()) {
        emitNumbered(t, 0, 300);
        t.flush();
        assertAllArrived(server, 300);
        assertEquals(0, t.close(WAIT));
        TributaryMetrics m = t.metrics();
        assertEquals(300, m.delivered());
        assertTrue(server.connectionCount() > 2, "the server reset connections");
        Accounting.assertSettled(m);
      }
    }
  }

  @Test
  void aSingleEventOverTheResetLimitIsRejectedWhileOthersGetThrough() {
    try (ForwardServer server = ForwardServer.builder().resetOnRequestOver(1500).build()) {
      assertEquals(List.of("limits/1/REJECTED"), rejectTheOversizedOne(server));
    }
  }

  @Test
  void aOneKibibyteRequestLimitIsNeverPassed() {
    try (ForwardServer server = ForwardServer.start()) {
      try (Tributary t = client(server).maxRequestBytes(1024).build()) {
        emitNumbered(t, 0, 100);
        t.emit("limits", Map.of("seq", 100, "text", "x".repeat(1000)));
        t.flush();
        assertAllArrived(server, 100);
        assertEquals(0, t.close(WAIT));
        for (ReceivedRequest r : server.requests()) {
          assertTrue(r.sizeInBytes() <= 1024, "request of " + r.sizeInBytes() + " bytes");
        }
        assertEquals(1, t.metrics().dropped(DropReason.TOO_LARGE));
        Accounting.assertSettled(t.metrics());
      }
    }
  }
}
