package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import dev.tributary.testkit.TimeType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;

/** Events built with {@link Tributary#event(String)} arrive typed, and every misuse is accounted for. */
class EventBuilderDeliveryTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private static ValueType type(ReceivedEvent e, String key) {
    Value v = e.rawRecord().map().get(ValueFactory.newString(key));
    return v.getValueType();
  }

  @Test
  void typedValuesArriveAsNumbersBoolsStringsBinMapsAndArraysWithNanosecondTime() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).build()) {
      t.event("app.orders")
          .time(EventTime.of(1_700_000_000L, 123_456_789))
          .put("id", 42)
          .put("big", 1L << 40)
          .put("amount", 9.99)
          .put("ratio", 0.5f)
          .put("currency", "EUR")
          .put("paid", true)
          .put("bytes", new byte[] {1, 2})
          .putMap("user", u -> u.put("id", 7).put("name", "ada"))
          .beginArray("items").add("book").add(3).beginMap().put("sku", "A-1").endMap().endArray()
          .put("tags", List.of("x", "y"))
          .emit();
      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      assertEquals("app.orders", e.tag());
      assertEquals(TimeType.EVENT_TIME, e.timeType());
      assertEquals(EventTime.of(1_700_000_000L, 123_456_789), e.time());
      assertEquals(ValueType.INTEGER, type(e, "id"));
      assertEquals(42L, e.get("id"));
      assertEquals(1L << 40, e.get("big"));
      assertEquals(ValueType.FLOAT, type(e, "amount"));
      assertEquals(9.99, e.get("amount"));
      assertEquals(ValueType.FLOAT, type(e, "ratio"));
      assertEquals(ValueType.STRING, type(e, "currency"));
      assertEquals("EUR", e.get("currency"));
      assertEquals(ValueType.BOOLEAN, type(e, "paid"));
      assertEquals(true, e.get("paid"));
      assertEquals(ValueType.BINARY, type(e, "bytes"));
      assertArrayEquals(new byte[] {1, 2}, (byte[]) e.get("bytes"));
      assertEquals(ValueType.MAP, type(e, "user"));
      assertEquals(Map.of("id", 7L, "name", "ada"), e.get("user"));
      assertEquals(ValueType.ARRAY, type(e, "items"));
      assertEquals(List.of("book", 3L, Map.of("sku", "A-1")), e.get("items"));
      assertEquals(List.of("x", "y"), e.get("tags"));
      assertEquals(10, e.record().size());
      assertEquals(0, t.close(WAIT));
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void theSameEventThroughTheBuilderAndThroughAMapArrivesEqual() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).build()) {
      EventTime time = EventTime.of(1_700_000_000L, 1);
      t.emit("app.same", time, Map.of("id", 42, "amount", 9.99, "paid", true, "user", Map.of("id", 7)));
      t.event("app.same").time(time).put("id", 42).put("amount", 9.99).put("paid", true)
          .putMap("user", u -> u.put("id", 7)).emit();
      t.flush();
      List<ReceivedEvent> events = server.awaitEvents(2, WAIT);
      assertEquals(events.get(0).record(), events.get(1).record());
      assertEquals(events.get(0).time(), events.get(1).time());
    }
  }

  @Test
  void everyMisuseIsAccountedForAndNoPartialEventReachesTheWire() throws Exception {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).maxEventBytes(2048).build()) {
      // abandoned: discarded as INVALID by the next event() on the thread
      t.event("app.misuse").put("n", "abandoned");
      // a duplicate key is refused; the event goes on
      EventBuilder dup = t.event("app.misuse").put("n", "dup");
      assertThrows(IllegalArgumentException.class, () -> dup.put("n", "again"));
      dup.emit();
      // put after emit
      assertThrows(IllegalStateException.class, () -> dup.put("late", 1));
      // handed to another thread
      EventBuilder handed = t.event("app.misuse").put("n", "handed");
      ExecutionException other = assertThrows(ExecutionException.class,
          CompletableFuture.runAsync(() -> handed.put("x", 1))::get);
      assertTrue(other.getCause() instanceof IllegalStateException);
      handed.emit();
      // larger than maxEventBytes
      t.event("app.misuse").put("n", "too large").put("text", "x".repeat(10_000)).emit();
      // left open on another thread: not counted (nor sent) until that thread begins another event
      AtomicReference<EventBuilder> leftOpen = new AtomicReference<>();
      CompletableFuture.runAsync(() -> leftOpen.set(t.event("app.misuse").put("n", "thread ended"))).get();
      t.flush();
      List<ReceivedEvent> events = server.awaitEvents(2, WAIT);
      assertEquals(List.of("dup", "handed"), List.of(events.get(0).get("n"), events.get(1).get("n")));
      assertEquals(1, events.get(0).record().size());
      assertEquals(0, t.close(WAIT));
      TributaryMetrics m = t.metrics();
      assertEquals(4, m.emitted());
      assertEquals(2, m.delivered());
      assertEquals(1, m.dropped(DropReason.INVALID));
      assertEquals(1, m.dropped(DropReason.TOO_LARGE));
      Accounting.assertSettled(m);
      assertEquals(2, server.eventCount(), "nothing partial was sent");
      assertEquals(0, server.malformedCount());
    }
  }

  @Test
  void manyThreadsBuildingEventsAtOnceDeliverEveryOne() throws Exception {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).build()) {
      int threads = 4;
      int each = 5_000;
      CompletableFuture<?>[] running = new CompletableFuture<?>[threads];
      for (int i = 0; i < threads; i++) {
        int thread = i;
        running[i] = CompletableFuture.runAsync(() -> {
          for (int n = 0; n < each; n++) {
            t.event("app.many").put("thread", thread).put("n", n).putMap("m", m -> m.put("k", "v")).emit();
          }
        }, r -> new Thread(r, "builder-" + thread).start());
      }
      CompletableFuture.allOf(running).get();
      assertEquals(0, t.close(WAIT));
      assertEquals((long) threads * each, server.eventCount());
      Accounting.assertSettled(t.metrics());
      assertEquals(threads * each, t.metrics().delivered());
    }
  }
}
