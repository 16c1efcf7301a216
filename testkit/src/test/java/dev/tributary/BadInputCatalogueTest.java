package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.BadInputs;
import dev.tributary.testkit.BadInputs.BadInput;
import dev.tributary.testkit.BadInputs.BadTag;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue through the API: every row of {@link BadInputs} is emitted once, and
 * none may throw (but the documented {@code IllegalArgumentException} for a bad tag), wait past
 * {@code maxBlock}, or leave the event unaccounted for: it is delivered with the documented
 * replacement, or dropped with the documented reason, and after close emitted = delivered +
 * dropped + failed with nothing left buffered.
 */
class BadInputCatalogueTest {

  private static final Duration MAX_BLOCK = Duration.ofMillis(100);
  /** No call may take longer: maxBlock plus a generous margin for a loaded machine. */
  private static final Duration BOUND = MAX_BLOCK.plusSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TAG = "catalogue.api";

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads("catalogue");
  }

  private static Tributary client(ForwardServer server) {
    return Tributary.builder().server(server.host(), server.port()).name("catalogue")
        .maxEventBytes(BadInputs.MAX_EVENT_BYTES).maxBlock(MAX_BLOCK).flushInterval(Duration.ofMillis(20))
        .listener(TributaryListener.NONE).build();
  }

  /** Emits on the calling thread and returns how long it took; fails on anything thrown. */
  private static Duration timed(Runnable emit) {
    long start = System.nanoTime();
    try {
      emit.run();
    } catch (Throwable e) {
      throw new AssertionError("threw into the caller: " + e, e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(BOUND) < 0, "the call took " + took + ", longer than maxBlock and a margin");
    return took;
  }

  /** After close: the one event counted as {@code row} says, and nothing left in motion. */
  private static void assertCounted(Tributary t, BadInputs.Outcome outcome) {
    assertEquals(0, t.close(WAIT), "nothing undelivered at close");
    TributaryMetrics m = t.metrics();
    Accounting.assertSettled(m);
    assertEquals(1, m.emitted(), "emitted: " + m);
    switch (outcome) {
      case DELIVERED:
        assertEquals(1, m.delivered(), "delivered: " + m);
        break;
      case TOO_LARGE:
        assertEquals(1, m.dropped(DropReason.TOO_LARGE), "dropped as TOO_LARGE: " + m);
        break;
      case INVALID:
        assertEquals(1, m.dropped(DropReason.INVALID), "dropped as INVALID: " + m);
        break;
      default:
        fail("unknown outcome " + outcome);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#values")
  void aBadRecordValue(BadInput row) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("row", "value");
    record.put("v", row.value());
    try (ForwardServer server = ForwardServer.start(); Tributary t = client(server)) {
      timed(() -> t.emit(TAG, record));
      assertCounted(t, row.outcome());
      if (row.outcome() == BadInputs.Outcome.DELIVERED) {
        ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
        assertEquals(TAG, e.tag());
        assertEquals("value", e.get("row"));
        assertTrue(row.arrivedIntact(e.get("v")), "arrived as " + row.expectation());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#keys")
  @SuppressWarnings("unchecked")
  void aBadRecordKey(BadInput row) {
    Map<Object, Object> record = new HashMap<>();
    record.put(row.value(), "v");
    try (ForwardServer server = ForwardServer.start(); Tributary t = client(server)) {
      timed(() -> t.emit(TAG, (Map<String, ?>) (Map<?, ?>) record));
      assertCounted(t, row.outcome());
      if (row.outcome() == BadInputs.Outcome.DELIVERED) {
        Map<String, Object> received = server.awaitEvents(1, WAIT).get(0).record();
        assertEquals(1, received.size());
        assertTrue(row.arrivedIntact(received.keySet().iterator().next()), "arrived as " + row.expectation());
        assertEquals("v", received.values().iterator().next());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#tags")
  void aTagAtOrPastALimit(BadTag row) {
    try (ForwardServer server = ForwardServer.start(); Tributary t = client(server)) {
      if (!row.valid()) {
        long start = System.nanoTime();
        assertThrows(IllegalArgumentException.class, () -> t.emit(row.tag(), Map.of("n", 1)));
        assertTrue(System.nanoTime() - start < BOUND.toNanos(), "refused at once");
        assertEquals(0, t.close(WAIT));
        TributaryMetrics m = t.metrics();
        assertEquals(0, m.emitted(), "a refused event is not counted: " + m);
        Accounting.assertSettled(m);
        return;
      }
      timed(() -> t.emit(row.tag(), Map.of("n", 1)));
      assertCounted(t, BadInputs.Outcome.DELIVERED);
      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      assertEquals(row.received(), e.tag());
      assertEquals(1L, e.get("n"));
    }
  }

  /**
   * A HashMap another thread changes while it is encoded: each event is delivered with what the
   * encoder saw, or dropped as INVALID when the map's iterator noticed the change; never thrown.
   */
  @Test
  void aHashMapAnotherThreadChangesWhileItIsEncoded() throws Exception {
    int events = 300;
    try (ForwardServer server = ForwardServer.start(); Tributary t = client(server)) {
      Duration longest = BadInputs.whileAnotherThreadChangesAMap(events, map -> t.emit(TAG, Map.of("shared", map)));
      assertTrue(longest.compareTo(BOUND) < 0, "a call took " + longest);
      assertEquals(0, t.close(WAIT));
      TributaryMetrics m = t.metrics();
      Accounting.assertSettled(m);
      assertEquals(events, m.emitted());
      assertEquals(events, m.delivered() + m.dropped(DropReason.INVALID), "delivered or INVALID, nothing else: " + m);
      assertEquals(m.delivered(), server.awaitEvents((int) m.delivered(), WAIT).size());
    }
  }
}
