package dev.tributary.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ExtensionValue;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;

class EventEncoderTest {

  enum Color { RED }

  private static Value[] decode(EventEncoder e) throws IOException {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(e.array(), 0, e.size())) {
      Value v = u.unpackValue();
      assertTrue(!u.hasNext(), "one value only");
      return v.asArrayValue().list().toArray(new Value[0]);
    }
  }

  private static Value field(Value[] entry, String key) {
    return entry[1].asMapValue().map().get(ValueFactory.newString(key));
  }

  @Test
  void timeIsEventTimeExtTypeZeroWithNanoseconds() throws IOException {
    EventEncoder e = new EventEncoder(false, false);
    e.encode(1_700_000_000L, 123_456_789, Map.of());
    assertEquals((byte) 0xd7, e.array()[1], "fixext8");
    ExtensionValue t = decode(e)[0].asExtensionValue();
    assertEquals(0, t.getType());
    byte[] d = t.getData();
    assertEquals(1_700_000_000L, ((d[0] & 0xffL) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff));
    assertEquals(123_456_789, ((d[4] & 0xff) << 24) | ((d[5] & 0xff) << 16) | ((d[6] & 0xff) << 8) | (d[7] & 0xff));
  }

  @Test
  void integerTimeModeSendsSeconds() throws IOException {
    EventEncoder e = new EventEncoder(true, false);
    e.encode(1_700_000_000L, 999, Map.of());
    Value t = decode(e)[0];
    assertEquals(ValueType.INTEGER, t.getValueType());
    assertEquals(1_700_000_000L, t.asIntegerValue().asLong());
  }

  @Test
  void everyValueTypeGetsTheMsgpackTypeFluentdExpects() throws IOException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("s", "hello é ✓ 😀");
    r.put("i", 42);
    r.put("l", 1L << 40);
    r.put("neg", -5_000_000_000L);
    r.put("short", (short) 7);
    r.put("byte", (byte) -3);
    r.put("f", 1.5f);
    r.put("d", 9.99);
    r.put("bi", new BigInteger("18446744073709551615"));
    r.put("huge", new BigInteger("123456789012345678901234567890"));
    r.put("bd", new BigDecimal("12.5"));
    r.put("t", true);
    r.put("n", null);
    r.put("bytes", new byte[] {1, 2, 3});
    r.put("map", Map.of("k", 1));
    r.put("list", List.of(1, "two"));
    r.put("ints", new int[] {1, 2});
    r.put("objs", new Object[] {"a", 2});
    r.put("instant", Instant.parse("2024-01-02T03:04:05.123456789Z"));
    r.put("date", LocalDate.of(2024, 1, 2));
    r.put("enum", Color.RED);
    UUID u = UUID.randomUUID();
    r.put("uuid", u);
    r.put("opt", Optional.of(5));
    r.put("empty", Optional.empty());
    r.put("other", new StringBuilder("sb"));
    EventEncoder e = new EventEncoder(false, false);
    e.encode(1, 0, r);
    Value[] entry = decode(e);
    assertEquals("hello é ✓ 😀", field(entry, "s").asStringValue().asString());
    assertEquals(42, field(entry, "i").asIntegerValue().asInt());
    assertEquals(1L << 40, field(entry, "l").asIntegerValue().asLong());
    assertEquals(-5_000_000_000L, field(entry, "neg").asIntegerValue().asLong());
    assertEquals(7, field(entry, "short").asIntegerValue().asInt());
    assertEquals(-3, field(entry, "byte").asIntegerValue().asInt());
    assertEquals(ValueType.FLOAT, field(entry, "f").getValueType());
    assertEquals(1.5f, field(entry, "f").asFloatValue().toFloat());
    assertEquals(9.99, field(entry, "d").asFloatValue().toDouble());
    assertEquals(new BigInteger("18446744073709551615"), field(entry, "bi").asIntegerValue().asBigInteger());
    assertEquals("123456789012345678901234567890", field(entry, "huge").asStringValue().asString());
    assertEquals(12.5, field(entry, "bd").asFloatValue().toDouble());
    assertEquals(true, field(entry, "t").asBooleanValue().getBoolean());
    assertTrue(field(entry, "n").isNilValue());
    assertEquals(ValueType.BINARY, field(entry, "bytes").getValueType());
    assertArrayEquals(new byte[] {1, 2, 3}, field(entry, "bytes").asBinaryValue().asByteArray());
    assertEquals(1, field(entry, "map").asMapValue().map().get(ValueFactory.newString("k")).asIntegerValue().asInt());
    assertEquals(List.of(ValueFactory.newInteger(1), ValueFactory.newString("two")), field(entry, "list").asArrayValue().list());
    assertEquals(List.of(ValueFactory.newInteger(1), ValueFactory.newInteger(2)), field(entry, "ints").asArrayValue().list());
    assertEquals(List.of(ValueFactory.newString("a"), ValueFactory.newInteger(2)), field(entry, "objs").asArrayValue().list());
    assertEquals("2024-01-02T03:04:05.123456789Z", field(entry, "instant").asStringValue().asString());
    assertEquals("2024-01-02", field(entry, "date").asStringValue().asString());
    assertEquals("RED", field(entry, "enum").asStringValue().asString());
    assertEquals(u.toString(), field(entry, "uuid").asStringValue().asString());
    assertEquals(5, field(entry, "opt").asIntegerValue().asInt());
    assertTrue(field(entry, "empty").isNilValue());
    assertEquals("sb", field(entry, "other").asStringValue().asString());
  }

  @Test
  void stringsOfEveryLengthUseStrFormatsNeverBin() throws IOException {
    for (int len : new int[] {0, 31, 32, 255, 256, 65535, 65536}) {
      String s = "x".repeat(len);
      EventEncoder e = new EventEncoder(false, false);
      e.encode(1, 0, Map.of("s", s));
      assertEquals(s, field(decode(e), "s").asStringValue().asString());
      MessageUnpacker u = MessagePack.newDefaultUnpacker(e.array(), 0, e.size());
      u.unpackArrayHeader();
      u.skipValue();
      u.unpackMapHeader();
      u.skipValue();
      MessageFormat f = u.getNextFormat();
      assertEquals(ValueType.STRING, f.getValueType(), "length " + len);
    }
  }

  @Test
  void legacyModeAvoidsStr8AndBin() throws IOException {
    EventEncoder e = new EventEncoder(true, true);
    e.encode(1, 0, Map.of("s", "y".repeat(100), "b", new byte[] {1}));
    MessageUnpacker u = MessagePack.newDefaultUnpacker(e.array(), 0, e.size());
    u.unpackArrayHeader();
    u.skipValue();
    int n = u.unpackMapHeader();
    for (int i = 0; i < n; i++) {
      u.skipValue();
      MessageFormat f = u.getNextFormat();
      assertTrue(f != MessageFormat.STR8 && f.getValueType() != ValueType.BINARY, "format " + f);
      u.skipValue();
    }
  }

  @Test
  void cyclesAreReplacedByAMarkerAndCounted() throws IOException {
    Map<String, Object> r = new HashMap<>();
    List<Object> l = new ArrayList<>();
    l.add(l);
    r.put("self", r);
    r.put("list", l);
    EventEncoder e = new EventEncoder(false, false);
    e.encode(1, 0, r);
    Value[] entry = decode(e);
    assertEquals(EventEncoder.CYCLE_MARKER, field(entry, "self").asStringValue().asString());
    assertEquals(EventEncoder.CYCLE_MARKER, field(entry, "list").asArrayValue().get(0).asStringValue().asString());
    assertEquals(2, e.replacedValues());
  }

  @Test
  void absurdNestingIsCutAtMaxDepth() throws IOException {
    Map<String, Object> root = new HashMap<>();
    Map<String, Object> m = root;
    for (int i = 0; i < 10_000; i++) {
      Map<String, Object> next = new HashMap<>();
      m.put("n", next);
      m = next;
    }
    EventEncoder e = new EventEncoder(false, false);
    e.encode(1, 0, root);
    MapValue v = decode(e)[1].asMapValue();
    int depth = 1;
    Value cur = v;
    while (cur.isMapValue()) {
      cur = cur.asMapValue().map().get(ValueFactory.newString("n"));
      depth++;
    }
    assertEquals(EventEncoder.DEPTH_MARKER, cur.asStringValue().asString());
    assertEquals(EventEncoder.MAX_DEPTH + 1, depth);
    assertEquals(1, e.replacedValues());
  }

  @Test
  void failingToStringIsReplacedNotThrown() throws IOException {
    Object bad = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("boom");
      }
    };
    EventEncoder e = new EventEncoder(false, false);
    e.encode(1, 0, Map.of("bad", bad));
    assertEquals(EventEncoder.TO_STRING_FAILED_MARKER, field(decode(e), "bad").asStringValue().asString());
  }

  @Test
  void unpairedSurrogateBecomesQuestionMark() throws IOException {
    EventEncoder e = new EventEncoder(false, false);
    e.encode(1, 0, Map.of("s", "a\uD800b"));
    assertEquals("a?b", field(decode(e), "s").asStringValue().asString());
  }

  @Test
  void formatterWritesFieldsWithoutAMapAndTheHeaderCountsThem() throws IOException {
    EventEncoder e = new EventEncoder(false, false);
    e.encode(1, 2, "src", (String src, dev.tributary.RecordWriter w) ->
        w.field("s", src).field("n", 7L).field("d", 0.5).field("b", true).field("o", List.of(1)));
    MapValue m = decode(e)[1].asMapValue();
    assertEquals(5, m.size());
    assertEquals("src", m.map().get(ValueFactory.newString("s")).asStringValue().asString());
    assertEquals(7, m.map().get(ValueFactory.newString("n")).asIntegerValue().asInt());
    assertEquals(ValueType.FLOAT, m.map().get(ValueFactory.newString("d")).getValueType());
    assertEquals(ValueType.ARRAY, m.map().get(ValueFactory.newString("o")).getValueType());
  }

  @Test
  void charSequenceFieldsAreEncodedAsStrWithoutAString() throws IOException {
    EventEncoder e = new EventEncoder(false, false);
    StringBuilder ascii = new StringBuilder("x".repeat(40));
    StringBuilder utf8 = new StringBuilder("caf\u00e9 \uD83D\uDE00");
    e.encode(1, 2, "", (String src, dev.tributary.RecordWriter w) -> w.field("a", ascii).field("u", utf8));
    MapValue m = decode(e)[1].asMapValue();
    assertEquals("x".repeat(40), m.map().get(ValueFactory.newString("a")).asStringValue().asString());
    assertEquals("caf\u00e9 \uD83D\uDE00", m.map().get(ValueFactory.newString("u")).asStringValue().asString());
  }

  @Test
  void aBigDecimalWithThousandsOfDigitsIsWithinAFewUlpsOfDoubleValue() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200; i++) {
      BigInteger unscaled = new BigInteger(4097 + random.nextInt(4000), new Random(random.nextLong()));
      if (random.nextBoolean()) {
        unscaled = unscaled.negate();
      }
      // scales that put the value anywhere in float64's range, including the subnormals
      int digits = (int) (unscaled.bitLength() * 0.30103);
      int scale = digits - 300 + random.nextInt(620);
      BigDecimal d = new BigDecimal(unscaled, scale);
      double exact = d.doubleValue();
      double cheap = EventEncoder.toDouble(d);
      assertTrue(Math.abs(cheap - exact) <= 4 * Math.ulp(exact), d.round(new MathContext(20)) + ": " + cheap + " vs " + exact);
    }
  }

  @Test
  void aBigDecimalBeyondFloat64sRangeIsInfinityOrZeroWithItsSign() {
    BigInteger big = BigInteger.ONE.shiftLeft(10_000).add(BigInteger.ONE);
    assertEquals(Double.POSITIVE_INFINITY, EventEncoder.toDouble(new BigDecimal(big)));
    assertEquals(Double.NEGATIVE_INFINITY, EventEncoder.toDouble(new BigDecimal(big.negate())));
    assertEquals(0.0, EventEncoder.toDouble(new BigDecimal(big, 4_000)));
    assertEquals(-0.0, EventEncoder.toDouble(new BigDecimal(big.negate(), 4_000)));
    assertEquals(Double.POSITIVE_INFINITY, EventEncoder.toDouble(new BigDecimal(big, -Integer.MAX_VALUE)));
    assertEquals(0.0, EventEncoder.toDouble(new BigDecimal(big, Integer.MAX_VALUE)));
  }
}
