package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.FaultProxy;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routes and several outputs end to end: first match wins, a copy to each output a route names, an
 * unmatched event counted and reported, and an output that is down holding back no other.
 */
class RoutesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long DEAD_BUDGET = 256 * 1024;

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private static String text(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void awaitDelivered(Tributary t, String output, long n) {
    Await.until(output + " delivered " + n, WAIT, () -> t.metrics().output(output).delivered() == n);
  }

  @Test
  void anOutputThatIsBlackHoledHoldsBackNoOther() {
    liveGetsEverythingWhileTheOtherIsDown("copy-blackhole", proxy -> proxy.blackHole(true));
  }

  @Test
  void anOutputThatIsRefusedHoldsBackNoOther() {
    liveGetsEverythingWhileTheOtherIsDown("copy-refused", proxy -> proxy.refuseConnections(true));
  }

  private void liveGetsEverythingWhileTheOtherIsDown(String name, Consumer<FaultProxy> fault) {
    int events = 20_000;
    try (ForwardServer live = ForwardServer.builder().countOnly(true).build();
        ForwardServer behind = ForwardServer.builder().countOnly(true).build();
        FaultProxy proxy = FaultProxy.start(behind)) {
      fault.accept(proxy);
      Tributary t = Tributary.builder().name(name)
          .chunkMaxRecords(100)
          .ackTimeout(Duration.ofSeconds(2))
          .retryInitialBackoff(Duration.ofMillis(10))
          .retryMaxBackoff(Duration.ofMillis(200))
          .output("live", Outputs.forward().server("127.0.0.1", live.port()))
          .output("dead", Outputs.forward().server(proxy.host(), proxy.port())
              .bufferMaxBytes(DEAD_BUDGET).overflowPolicy(OverflowPolicy.DROP_NEWEST))
          .match("**", "live", "dead")
          .build();
      try {
        Map<String, Object> record = Map.of("message", "x".repeat(100), "n", 1);
        for (int i = 0; i < events; i++) {
          t.emit("app.copy", record);
          if (i % 1000 == 0) {
            long held = t.metrics().output("dead").bufferedBytes();
            assertTrue(held <= DEAD_BUDGET, "the dead output's memory within its budget: " + held);
          }
        }
        t.flush();
        live.awaitEventCount(events, WAIT);
        TributaryMetrics m = t.metrics();
        OutputMetrics dead = m.output("dead");
        assertEquals(0, dead.delivered(), "the other output is still down: " + dead);
        assertTrue(dead.bufferedBytes() <= DEAD_BUDGET, "within its own budget: " + dead);
        assertTrue(dead.dropped(DropReason.BUFFER_FULL) > 0, "the dead output's budget filled: " + dead);
        assertEquals(events, m.output("live").emitted());
        assertEquals(events, dead.emitted());
        assertEquals(events, m.emitted());
        assertEquals(events, m.extraCopies());
        Await.until("live delivered all", WAIT, () -> t.metrics().output("live").delivered() == events);
        assertEquals(0, t.metrics().output("live").droppedTotal());
      } finally {
        long undelivered = t.close(Duration.ofMillis(500));
        TributaryMetrics m = t.metrics();
        assertEquals(m.output("dead").failed(FailureReason.UNDELIVERED_AT_CLOSE), undelivered, m.toString());
        assertEquals(0, m.output("live").failedTotal(), m.toString());
        Accounting.assertSettled(m);
      }
    }
  }

  @Test
  void theFirstRouteThatFitsWinsAndAnEventNoRouteTakesIsUnmatched() {
    ByteArrayOutputStream audit = new ByteArrayOutputStream();
    ByteArrayOutputStream app = new ByteArrayOutputStream();
    try (Tributary t = Tributary.builder().name("first-match")
        .output("audit", Outputs.stdout(audit))
        .output("app", Outputs.stdout(app))
        .match("app.audit.**", "audit")
        .match("app.**", "app")
        .build()) {
      EventTime time = EventTime.of(1_796_108_400L, 5);
      t.emit("app.audit.login", time, Map.of("user", "ada"));
      t.emit("app.web", time, Map.of("path", "/"));
      t.emit("sys.kernel", time, Map.of("oom", true));
      t.flush();
      awaitDelivered(t, "audit", 1);
      awaitDelivered(t, "app", 1);
      assertEquals("{\"time\":\"2026-12-01T07:00:00.000000005Z\",\"tag\":\"app.audit.login\",\"record\":{\"user\":\"ada\"}}\n",
          text(audit));
      assertEquals("{\"time\":\"2026-12-01T07:00:00.000000005Z\",\"tag\":\"app.web\",\"record\":{\"path\":\"/\"}}\n",
          text(app));
      TributaryMetrics m = t.metrics();
      assertEquals(3, m.emitted());
      assertEquals(1, m.dropped(DropReason.UNMATCHED));
      assertEquals(0, m.extraCopies());
      Accounting.assertSettled(m);
    }
  }

  @Test
  void unmatchedEventsAreCountedAndSummarisedFromEveryPath() {
    Map<DropReason, Long> reported = new ConcurrentHashMap<>();
    TributaryListener listener = new TributaryListener() {
      @Override
      public void onSummary(Map<DropReason, Long> dropped, Map<FailureReason, Long> failed) {
        dropped.forEach((r, n) -> reported.merge(r, n, Long::sum));
      }
    };
    try (Tributary t = Tributary.builder().name("unmatched")
        .listener(listener)
        .reportInterval(Duration.ofMillis(50))
        .output("out", Outputs.nullOutput())
        .match("app.**", "out")
        .build()) {
      t.emit("other", Map.of("a", 1));
      t.event("other.builder").put("a", 1).emit();
      t.emit("other.formatter", 0, 0, "source", (source, w) -> w.field("a", source));
      t.emit("app.kept", Map.of("a", 1));
      Await.until("three unmatched reported", WAIT, () -> reported.getOrDefault(DropReason.UNMATCHED, 0L) == 3);
      awaitDelivered(t, "out", 1);
      TributaryMetrics m = t.metrics();
      assertEquals(4, m.emitted());
      assertEquals(3, m.dropped(DropReason.UNMATCHED));
      assertEquals(0, m.output("out").dropped(DropReason.UNMATCHED), "unmatched is the instance's, not an output's");
      Accounting.assertSettled(m);
    }
  }

  @Test
  void aCopyGoesToEachOutputAndTheCountersSayHowTheyRelate() {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    try (Tributary t = Tributary.builder().name("copies")
        .output("a", Outputs.stdout(a))
        .output("b", Outputs.nullOutput())
        .output("c", Outputs.nullOutput())
        .match("two.**", "a", "b")
        .match("three.**", "a", "b", "c")
        .build()) {
      for (int i = 0; i < 10; i++) {
        t.emit("two", Map.of("i", i));
      }
      t.emit("three", Map.of("i", 10));
      t.flush();
      awaitDelivered(t, "a", 11);
      awaitDelivered(t, "b", 11);
      awaitDelivered(t, "c", 1);
      TributaryMetrics m = t.metrics();
      assertEquals(11, m.emitted(), "each event once");
      assertEquals(10 + 2, m.extraCopies(), "one extra copy per event of two, two for the event of three");
      assertEquals(23, m.delivered(), "every copy");
      assertEquals(List.of("a", "b", "c"), m.outputs().stream().map(OutputMetrics::name).toList());
      assertEquals(List.of("stdout", "null", "null"), m.outputs().stream().map(OutputMetrics::type).toList());
      assertEquals(11, text(a).lines().count());
      Accounting.assertSettled(m);
      assertThrows(IllegalArgumentException.class, () -> m.output("nope"));
    }
  }

  @Test
  void eachOutputHasItsOwnNamedThreads() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().name("threads").heartbeatType(HeartbeatType.NONE)
            .output("agg", Outputs.forward().server("127.0.0.1", server.port()))
            .output("console", Outputs.stdout(new ByteArrayOutputStream()))
            .match("**", "agg", "console")
            .build()) {
      t.emit("a", Map.of("k", 1));
      t.flush();
      server.awaitEventCount(1, WAIT);
      Set<String> threads = Await.tributaryThreads("threads");
      assertTrue(threads.containsAll(Set.of("tributary-flusher-threads:agg", "tributary-flusher-threads:console",
          "tributary-acks-threads:agg")), threads.toString());
    }
    Await.noTributaryThreads("threads");
  }

  @Test
  void closeDrainsEveryOutputWithinTheOneDeadline() {
    int events = 5_000;
    try (ForwardServer one = ForwardServer.builder().countOnly(true).build();
        ForwardServer two = ForwardServer.builder().countOnly(true).build()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Tributary t = Tributary.builder().name("drain")
          .flushInterval(Duration.ofMinutes(5)) // nothing is sent before close
          .output("one", Outputs.forward().server("127.0.0.1", one.port()))
          .output("two", Outputs.forward().server("127.0.0.1", two.port()))
          .output("console", Outputs.stdout(out))
          .match("**", "one", "two", "console")
          .build();
      for (int i = 0; i < events; i++) {
        t.emit("drain", Map.of("i", i));
      }
      assertEquals(0, t.close(WAIT));
      assertEquals(events, one.eventCount());
      assertEquals(events, two.eventCount());
      assertEquals(events, text(out).lines().count());
      TributaryMetrics m = t.metrics();
      assertEquals(3L * events, m.delivered());
      Accounting.assertSettled(m);
    }
  }

  @Test
  void theSingleServerBuilderHasOneForwardOutputNamedForward() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().name("single").server("127.0.0.1", server.port()).build()) {
      t.emit("a", Map.of("k", 1));
      t.flush();
      server.awaitEventCount(1, WAIT);
      Await.until("delivered", WAIT, () -> t.metrics().delivered() == 1);
      TributaryMetrics m = t.metrics();
      OutputMetrics forward = m.output(Tributary.Builder.DEFAULT_OUTPUT);
      assertEquals("forward", forward.type());
      assertEquals(1, m.outputs().size());
      assertEquals(m.delivered(), forward.delivered());
      assertEquals(m.servers().size(), forward.servers().size());
      assertEquals(Set.of("tributary-flusher-single", "tributary-acks-single", "tributary-heartbeat-single"),
          Await.tributaryThreads("single"));
      Accounting.assertSettled(m);
    }
  }

  @Test
  void aRouteMayNameTheDefaultOutputToLeaveOtherTagsUnmatched() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().name("default-routed").server("127.0.0.1", server.port())
            .match("app.**", "forward").build()) {
      t.emit("app.web", Map.of("k", 1));
      t.emit("sys", Map.of("k", 2));
      t.flush();
      List<ReceivedEvent> got = server.awaitEvents(1, WAIT);
      assertEquals("app.web", got.get(0).tag());
      Await.until("delivered", WAIT, () -> t.metrics().delivered() == 1);
      assertEquals(1, t.metrics().dropped(DropReason.UNMATCHED));
    }
  }

  @Test
  void underThrowAFullOutputThrowsOnlyAfterTheOthersTookTheirCopy() {
    try (ForwardServer live = ForwardServer.builder().countOnly(true).build();
        FaultProxy proxy = FaultProxy.start(live)) {
      proxy.blackHole(true);
      Tributary t = Tributary.builder().name("throw").overflowPolicy(OverflowPolicy.THROW)
          .output("dead", Outputs.forward().server(proxy.host(), proxy.port()).bufferMaxBytes(64 * 1024))
          .output("sink", Outputs.nullOutput())
          .match("**", "dead", "sink")
          .build();
      try {
        int thrown = 0;
        int emitted = 0;
        while (thrown == 0) {
          try {
            emitted++;
            t.emit("t", Map.of("message", "y".repeat(200)));
          } catch (BufferFullException e) {
            thrown++;
            assertTrue(e.getMessage().contains("output dead"), e.getMessage());
          }
        }
        int total = emitted;
        Await.until("the other output got every copy", WAIT, () -> t.metrics().output("sink").delivered() == total);
      } finally {
        t.close(Duration.ofMillis(200));
        Accounting.assertSettled(t.metrics());
      }
    }
  }
}
