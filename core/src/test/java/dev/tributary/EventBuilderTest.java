package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.CapturingServer.Entry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.ExtensionValue;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;

/** The fluent event builder: what it writes, and each misuse rule. */
class EventBuilderTest {

  private CapturingServer server;
  private Tributary tributary;

  @BeforeEach
  void start() throws Exception {
    server = new CapturingServer();
    tributary = server.client().build();
  }

  @AfterEach
  void stop() throws Exception {
    tributary.close(Duration.ofSeconds(10));
    server.close();
  }

  private static Value get(Value record, String key) {
    Value v = record.asMapValue().map().get(ValueFactory.newString(key));
    if (v == null) {
      throw new AssertionError("no field " + key + " in " + record);
    }
    return v;
  }

  private static void assertEventTime(Value time, long seconds, int nanos) {
    assertEquals(ValueType.EXTENSION, time.getValueType());
    ExtensionValue ext = time.asExtensionValue();
    assertEquals(0, ext.getType());
    ByteBuffer b = ByteBuffer.wrap(ext.getData());
    assertEquals(seconds, b.getInt() & 0xFFFF_FFFFL);
    assertEquals(nanos, b.getInt());
  }

  private Entry emitted() throws InterruptedException {
    tributary.flush();
    return server.next();
  }

  @Test
  void everyPutIsWrittenWithItsOwnMsgpackType() throws Exception {
    StringBuilder text = new StringBuilder("from a builder");
    tributary.event("app.orders")
        .time(EventTime.of(1_700_000_000L, 123_456_789))
        .put("int", 42)
        .put("negative", -7)
        .put("long", 1L << 40)
        .put("double", 9.99)
        .put("float", 1.5f)
        .put("bool", true)
        .put("char", 'x')
        .put("str", "EUR")
        .put("text", text)
        .put("nil", (String) null)
        .put("bytes", new byte[] {1, 2, 3})
        .put("instant", Instant.parse("2024-01-02T03:04:05Z"))
        .put("boxed", (Object) Long.valueOf(5))
        .put("map", Map.of("k", "v"))
        .put("list", List.of(1, 2))
        .emit();
    Entry e = emitted();
    assertEquals("app.orders", e.tag());
    assertEventTime(e.time(), 1_700_000_000L, 123_456_789);
    Value r = e.record();
    assertEquals(15, r.asMapValue().size());
    assertEquals(42, get(r, "int").asIntegerValue().asInt());
    assertEquals(-7, get(r, "negative").asIntegerValue().asInt());
    assertEquals(1L << 40, get(r, "long").asIntegerValue().asLong());
    assertEquals(9.99, get(r, "double").asFloatValue().toDouble());
    assertEquals(1.5f, get(r, "float").asFloatValue().toFloat());
    assertEquals(ValueType.BOOLEAN, get(r, "bool").getValueType());
    assertTrue(get(r, "bool").asBooleanValue().getBoolean());
    assertEquals("x", get(r, "char").asStringValue().asString());
    assertEquals("EUR", get(r, "str").asStringValue().asString());
    assertEquals(ValueType.STRING, get(r, "text").getValueType());
    assertEquals("from a builder", get(r, "text").asStringValue().asString());
    assertEquals(ValueType.NIL, get(r, "nil").getValueType());
    assertEquals(ValueType.BINARY, get(r, "bytes").getValueType());
    assertArrayEquals(new byte[] {1, 2, 3}, get(r, "bytes").asBinaryValue().asByteArray());
    assertEquals("2024-01-02T03:04:05Z", get(r, "instant").asStringValue().asString());
    assertEquals(5, get(r, "boxed").asIntegerValue().asInt());
    assertEquals("v", get(get(r, "map"), "k").asStringValue().asString());
    assertEquals(ValueType.ARRAY, get(r, "list").getValueType());
    assertEquals(2, get(r, "list").asArrayValue().get(1).asIntegerValue().asInt());
  }

  @Test
  void nestedMapsAndArraysAreWrittenInPlace() throws Exception {
    tributary.event("app.audit")
        .put("message", "user logged in")
        .putMap("user", u -> u.put("id", 7).putArray("roles", a -> a.add("admin").add("dev")))
        .beginArray("items")
            .add(1).add(2.5).add(true).add((String) null)
            .beginMap().put("sku", "A-1").put("qty", 3).endMap()
            .beginArray().endArray()
        .endArray()
        .beginMap("empty").endMap()
        .emit();
    Value r = emitted().record();
    assertEquals(4, r.asMapValue().size());
    Value user = get(r, "user");
    assertEquals(2, user.asMapValue().size());
    assertEquals(7, get(user, "id").asIntegerValue().asInt());
    assertEquals(List.of(ValueFactory.newString("admin"), ValueFactory.newString("dev")),
        get(user, "roles").asArrayValue().list());
    List<Value> items = get(r, "items").asArrayValue().list();
    assertEquals(6, items.size());
    assertEquals(1, items.get(0).asIntegerValue().asInt());
    assertEquals(2.5, items.get(1).asFloatValue().toDouble());
    assertEquals(ValueType.BOOLEAN, items.get(2).getValueType());
    assertEquals(ValueType.NIL, items.get(3).getValueType());
    assertEquals("A-1", get(items.get(4), "sku").asStringValue().asString());
    assertEquals(3, get(items.get(4), "qty").asIntegerValue().asInt());
    assertEquals(0, items.get(5).asArrayValue().size());
    assertEquals(0, get(r, "empty").asMapValue().size());
  }

  @Test
  void containersLeftOpenAreClosedByEmit() throws Exception {
    tributary.event("app.open").put("a", 1).beginMap("m").put("b", 2).beginArray("l").add(3).emit();
    Value r = emitted().record();
    assertEquals(2, r.asMapValue().size());
    Value m = get(r, "m");
    assertEquals(2, m.asMapValue().size());
    assertEquals(3, get(m, "l").asArrayValue().get(0).asIntegerValue().asInt());
  }

  @Test
  void manyFieldsAndAnEmptyRecordHaveTheRightCount() throws Exception {
    EventBuilder b = tributary.event("app.wide");
    for (int i = 0; i < 300; i++) {
      b.put("f" + i, i);
    }
    b.emit();
    Value r = emitted().record();
    assertEquals(300, r.asMapValue().size());
    assertEquals(299, get(r, "f299").asIntegerValue().asInt());
    tributary.event("app.empty").emit();
    assertEquals(0, emitted().record().asMapValue().size());
  }

  @Test
  void withoutATimeTheEventIsStampedByTheClockAtEmit() throws Exception {
    tributary.close();
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_600_000_000L, 987_654_321), ZoneOffset.UTC);
    tributary = server.client().clock(clock).build();
    tributary.event("app.now").put("a", 1).emit();
    assertEventTime(emitted().time(), 1_600_000_000L, 987_654_321);
  }

  @Test
  void emitOfAMapIsStampedByTheClockToTheNanosecond() throws Exception {
    tributary.close();
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_600_000_000L, 987_654_321), ZoneOffset.UTC);
    tributary = server.client().clock(clock).build();
    tributary.emit("app.now", java.util.Map.of("a", 1));
    assertEventTime(emitted().time(), 1_600_000_000L, 987_654_321);
    // the last whole second of EventTime's range, and a second's first nanosecond
    tributary.close();
    clock = Clock.fixed(Instant.ofEpochSecond(EventTime.MAX_SECONDS, 0), ZoneOffset.UTC);
    tributary = server.client().clock(clock).build();
    tributary.emit("app.now", java.util.Map.of("a", 1));
    assertEventTime(server.next().time(), EventTime.MAX_SECONDS, 0);
  }

  @Test
  void integerTimeModeWritesSeconds() throws Exception {
    tributary.close();
    tributary = server.client().timeAsInteger(true).build();
    tributary.event("app.int").time(1_700_000_001L, 5).put("a", 1).emit();
    tributary.event("app.int").time(7, 0).emit();
    Entry e = emitted();
    assertEquals(ValueType.INTEGER, e.time().getValueType());
    assertEquals(1_700_000_001L, e.time().asIntegerValue().asLong());
    assertEquals(7, server.next().time().asIntegerValue().asLong());
  }

  @Test
  void legacyMsgpackWritesBytesAsStr() throws Exception {
    tributary.close();
    tributary = server.client().legacyMsgpack(true).build();
    tributary.event("app.legacy").put("bytes", "ab".getBytes()).emit();
    assertEquals(ValueType.STRING, get(emitted().record(), "bytes").getValueType());
  }

  @Test
  void theBuilderIsReusedPerThreadAndEmittedOnce() throws Exception {
    EventBuilder first = tributary.event("app.a").put("n", 1);
    first.emit();
    EventBuilder second = tributary.event("app.b");
    assertSame(first, second, "one builder per thread");
    second.put("n", 2).emit();
    tributary.flush();
    Map<String, Value> byTag = new LinkedHashMap<>();
    for (int i = 0; i < 2; i++) {
      Entry e = server.next();
      byTag.put(e.tag(), e.record());
    }
    assertEquals(1, get(byTag.get("app.a"), "n").asIntegerValue().asInt());
    assertEquals(2, get(byTag.get("app.b"), "n").asIntegerValue().asInt());
    assertEquals(2, tributary.metrics().emitted());
  }

  @Test
  void putOrEmitAfterEmitIsAnIllegalStateException() {
    EventBuilder b = tributary.event("app.a").put("n", 1);
    b.emit();
    assertThrows(IllegalStateException.class, () -> b.put("n", 2));
    assertThrows(IllegalStateException.class, () -> b.add(2));
    assertThrows(IllegalStateException.class, () -> b.time(EventTime.of(1, 0)));
    assertThrows(IllegalStateException.class, b::emit);
    assertEquals(1, tributary.metrics().emitted());
  }

  @Test
  void anUnfinishedEventIsDiscardedAsInvalidByTheNextEventOnTheThread() throws Exception {
    tributary.event("app.lost").put("n", 1);
    tributary.event("app.kept").put("n", 2).emit();
    Entry e = emitted();
    assertEquals("app.kept", e.tag());
    assertEquals(2, get(e.record(), "n").asIntegerValue().asInt());
    TributaryMetrics m = tributary.metrics();
    assertEquals(2, m.emitted());
    assertEquals(1, m.dropped(DropReason.INVALID));
    assertTrue(server.nothingMore(200), "the discarded event never reaches the wire");
  }

  @Test
  void aDuplicateKeyIsRefusedAndTheEventStaysUsable() throws Exception {
    EventBuilder b = tributary.event("app.dup").put("id", 1).put("amount", 2.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.put("id", 3));
    assertTrue(e.getMessage().contains("\"id\""), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.put(new String("amount"), "x"), "equal, not identical");
    b.putMap("nested", m -> m.put("id", 9)); // the same key in another map is fine
    assertThrows(IllegalArgumentException.class, () -> b.putMap("nested", m -> { }));
    b.emit();
    Value r = emitted().record();
    assertEquals(3, r.asMapValue().size());
    assertEquals(1, get(r, "id").asIntegerValue().asInt());
  }

  @Test
  void duplicatesAreFoundAmongManyKeysWhateverTheirHashes() throws Exception {
    EventBuilder b = tributary.event("app.dup");
    for (int i = 0; i < 60; i++) {
      b.put("k" + i, i);
    }
    for (int i = 0; i < 60; i++) {
      String key = "k" + i;
      assertThrows(IllegalArgumentException.class, () -> b.put(key, 0), key);
    }
    b.emit();
    assertEquals(60, emitted().record().asMapValue().size());
  }

  @Test
  void anotherThreadFailsFastAndWritesNothing() throws Exception {
    EventBuilder b = tributary.event("app.thread").put("a", 1);
    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> b.put("b", 2));
    ExecutionException e = assertThrows(ExecutionException.class, other::get);
    assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    assertTrue(e.getCause().getMessage().contains("thread"), e.getCause().getMessage());
    assertThrows(ExecutionException.class, CompletableFuture.runAsync(b::emit)::get);
    b.emit();
    Value r = emitted().record();
    assertEquals(1, r.asMapValue().size());
  }

  @Test
  void structuralMisuseIsAnIllegalStateExceptionAndWritesNothing() throws Exception {
    EventBuilder b = tributary.event("app.shape").put("a", 1);
    assertThrows(IllegalStateException.class, () -> b.add(1), "add in a map");
    assertThrows(IllegalStateException.class, b::endMap, "nothing to end");
    b.beginArray("l");
    assertThrows(IllegalStateException.class, () -> b.put("x", 1), "put in an array");
    assertThrows(IllegalStateException.class, b::endMap, "an array is open");
    b.add(1).endArray();
    assertThrows(IllegalArgumentException.class, () -> b.put(null, 1));
    b.emit();
    Value r = emitted().record();
    assertEquals(2, r.asMapValue().size());
    assertEquals(1, get(r, "l").asArrayValue().size());
  }

  @Test
  void nestingIsBoundedAt64() throws Exception {
    EventBuilder b = tributary.event("app.deep");
    for (int i = 0; i < 63; i++) {
      b.beginMap("m");
    }
    assertThrows(IllegalStateException.class, () -> b.beginMap("m"));
    b.emit();
    Value v = emitted().record();
    int depth = 0;
    while (v.asMapValue().size() > 0) {
      v = get(v, "m");
      depth++;
    }
    assertEquals(63, depth);
  }

  @Test
  void anEventPastMaxEventBytesIsDroppedAsTooLargeWithoutAThrow() throws Exception {
    tributary.close();
    tributary = server.client().maxEventBytes(1024).build();
    EventBuilder b = tributary.event("app.big").put("a", 1);
    b.put("text", "x".repeat(4000)).put("after", 2).beginMap("m").put("c", 3).endMap();
    b.emit();
    TributaryMetrics m = tributary.metrics();
    assertEquals(1, m.emitted());
    assertEquals(1, m.dropped(DropReason.TOO_LARGE));
    tributary.event("app.small").put("a", 1).emit();
    assertEquals("app.small", emitted().tag());
    assertEquals(2, tributary.metrics().emitted());
  }

  @Test
  void anExceptionFromAPutMapFunctionGoesOnAndTheEventIsInvalid() {
    EventBuilder b = tributary.event("app.fn").put("a", 1);
    RuntimeException boom = new RuntimeException("boom");
    assertSame(boom, assertThrows(RuntimeException.class, () -> b.putMap("m", m -> {
      m.put("x", 1);
      throw boom;
    })));
    b.emit();
    assertEquals(1, tributary.metrics().dropped(DropReason.INVALID));
  }

  @Test
  void emitInsideAPutMapFunctionIsRefusedAndDropsTheEvent() {
    EventBuilder b = tributary.event("app.fn");
    assertThrows(IllegalStateException.class, () -> b.putMap("m", EventBuilder::emit));
    b.emit();
    assertEquals(1, tributary.metrics().emitted());
    assertEquals(1, tributary.metrics().dropped(DropReason.INVALID));
  }

  @Test
  void aValueThatCannotBeReadDropsTheEventAsInvalidAtEmit() {
    Map<String, Object> changing = new LinkedHashMap<>() {
      @Override
      public java.util.Set<Map.Entry<String, Object>> entrySet() {
        throw new java.util.ConcurrentModificationException();
      }
    };
    changing.put("k", 1);
    tributary.event("app.bad").put("a", 1).put("m", changing).put("b", 2).emit();
    TributaryMetrics m = tributary.metrics();
    assertEquals(1, m.emitted());
    assertEquals(1, m.dropped(DropReason.INVALID));
  }

  @Test
  void anEventStartedFromAValuesToStringIsSeparateAndBothArrive() throws Exception {
    Object logsWhenPrinted = new Object() {
      @Override
      public String toString() {
        tributary.event("app.inner").put("inner", true).emit();
        return "printed";
      }
    };
    tributary.event("app.outer").put("a", 1).put("v", logsWhenPrinted).put("b", 2).emit();
    tributary.flush();
    Entry first = server.next();
    Entry second = server.next();
    Entry outer = first.tag().equals("app.outer") ? first : second;
    Entry inner = first.tag().equals("app.outer") ? second : first;
    assertEquals("app.inner", inner.tag());
    assertEquals(3, outer.record().asMapValue().size());
    assertEquals("printed", get(outer.record(), "v").asStringValue().asString());
    assertEquals(0, tributary.metrics().droppedTotal());
  }

  @Test
  void theBuilderCalledFromItsOwnValuesToStringIsRefused() throws Exception {
    EventBuilder[] self = new EventBuilder[1];
    Object meddling = new Object() {
      @Override
      public String toString() {
        self[0].put("sneaky", 1);
        return "x";
      }
    };
    self[0] = tributary.event("app.self").put("a", 1);
    self[0].put("v", meddling).emit();
    TributaryMetrics m = tributary.metrics();
    assertEquals(1, m.replacedValues(), "the failing toString() is replaced by its marker");
    Value r = emitted().record();
    assertEquals(2, r.asMapValue().size());
    assertEquals("[toString failed]", get(r, "v").asStringValue().asString());
  }

  @Test
  void aBadTagIsThrownByEventAndNotCounted() {
    assertThrows(IllegalArgumentException.class, () -> tributary.event("bad..tag"));
    assertThrows(IllegalArgumentException.class, () -> tributary.event(null));
    tributary.event("app.ok").emit();
    assertEquals(1, tributary.metrics().emitted());
    assertEquals(0, tributary.metrics().droppedTotal());
  }

  @Test
  void afterCloseAnEventIsCountedClosed() {
    EventBuilder b = tributary.event("app.late").put("a", 1);
    tributary.close();
    b.emit();
    tributary.event("app.later").put("a", 1).emit();
    assertEquals(2, tributary.metrics().dropped(DropReason.CLOSED));
  }

  @Test
  void badTimesAreRefused() {
    EventBuilder b = tributary.event("app.t");
    assertThrows(IllegalArgumentException.class, () -> b.time(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> b.time(0, 1_000_000_000));
    assertThrows(IllegalArgumentException.class, () -> b.time((EventTime) null));
    b.emit();
  }
}
