package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventTime;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.value.MapValue;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;

/** Each forward-protocol mode is decoded into the tag, time and record the client sent. */
class DecodingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;

  @Test
  void messageModeDecodesTagEventTimeAndEveryValueType() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("z", 1);
    nested.put("a", 2);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("str", "héllo");
    record.put("int", -42);
    record.put("big", new BigInteger("18446744073709551615"));
    record.put("f32", 1.5f);
    record.put("f64", 2.25d);
    record.put("bool", true);
    record.put("nil", null);
    record.put("bin", new byte[] {1, 2, 3});
    record.put("list", List.of("a", 1));
    record.put("map", nested);
    byte[] ext = Wire.pack(p -> {
      p.packExtensionTypeHeader((byte) 5, 2);
      p.writePayload(new byte[] {9, 8});
    });
    byte[] request = Wire.pack(p -> {
      p.packArrayHeader(3);
      p.packString("app.access");
      Wire.eventTime(p, SECONDS, 123_456_789);
      p.packMapHeader(record.size() + 2);
      for (Map.Entry<String, Object> e : record.entrySet()) {
        p.packString(e.getKey());
        Wire.value(p, e.getValue());
      }
      p.packString("ext");
      p.writePayload(ext);
      p.packLong(7); // a non-string key
      p.packString("seven");
    });

    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(request);
      ReceivedEvent e = server.awaitEvents(1, TIMEOUT).get(0);

      assertEquals("app.access", e.tag());
      assertEquals(EventTime.of(SECONDS, 123_456_789), e.time());
      assertEquals(TimeType.EVENT_TIME, e.timeType());
      assertEquals(EventMode.MESSAGE, e.mode());
      assertNull(e.chunkId());
      assertEquals("héllo", e.get("str"));
      assertEquals(-42L, e.get("int"));
      assertEquals(new BigInteger("18446744073709551615"), e.get("big"));
      assertEquals(1.5f, e.get("f32"));
      assertEquals(2.25d, e.get("f64"));
      assertEquals(true, e.get("bool"));
      assertTrue(e.record().containsKey("nil"));
      assertNull(e.get("nil"));
      assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) e.get("bin"));
      assertEquals(List.of("a", 1L), e.get("list"));
      assertEquals(List.of("z", "a"), List.copyOf(((Map<?, ?>) e.get("map")).keySet()));
      assertEquals(new ExtValue((byte) 5, new byte[] {9, 8}), e.get("ext"));
      assertEquals("seven", e.get("7"));
      assertEquals(List.of("str", "int", "big", "f32", "f64", "bool", "nil", "bin", "list", "map",
          "ext", "7"), List.copyOf(e.record().keySet()));

      MapValue raw = e.rawRecord();
      assertEquals(ValueType.STRING, rawType(raw, "str"));
      assertEquals(ValueType.BINARY, rawType(raw, "bin"));
      assertEquals(ValueType.INTEGER, rawType(raw, "int"));
      assertEquals(ValueType.FLOAT, rawType(raw, "f64"));
      assertEquals(ValueType.EXTENSION, rawType(raw, "ext"));
    }
  }

  @Test
  void forwardModeDecodesEveryEntryInOrder() {
    List<Map<String, ?>> records = List.of(Map.of("n", 0), Map.of("n", 1), Map.of("n", 2));
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(Wire.forward("app.fwd", SECONDS, records, null));
      List<ReceivedEvent> events = server.awaitEvents(3, TIMEOUT);

      for (int i = 0; i < 3; i++) {
        assertEquals("app.fwd", events.get(i).tag());
        assertEquals(EventMode.FORWARD, events.get(i).mode());
        assertEquals(EventTime.of(SECONDS + i, 0), events.get(i).time());
        assertEquals((long) i, events.get(i).get("n"));
      }
    }
  }

  @Test
  void packedForwardDecodesBinEntries() {
    List<Map<String, ?>> records = List.of(Map.of("msg", "a"), Map.of("msg", "b"));
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(Wire.packed("app.packed", Wire.entries(SECONDS, records), Map.of("size", 2)));
      List<ReceivedEvent> events = server.awaitEvents(2, TIMEOUT);

      assertEquals(EventMode.PACKED_FORWARD, events.get(0).mode());
      assertEquals("a", events.get(0).get("msg"));
      assertEquals(EventTime.of(SECONDS + 1, 1), events.get(1).time());
      assertEquals("b", events.get(1).get("msg"));
      assertFalse(server.requests().get(0).compressed());
    }
  }

  @Test
  void packedForwardDecodesStr32EntriesAsFluentdSendsThem() {
    byte[] entries = Wire.entries(SECONDS, List.of(Map.of("msg", "x")));
    byte[] request = Wire.pack(p -> {
      p.packArrayHeader(3);
      p.packString("app.str32");
      p.writePayload(ByteBuffer.allocate(5).put((byte) 0xdb).putInt(entries.length).array());
      p.writePayload(entries);
      Wire.value(p, Map.of("size", 1, "compressed", "text"));
    });
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(request);
      ReceivedEvent e = server.awaitEvents(1, TIMEOUT).get(0);

      assertEquals(EventMode.PACKED_FORWARD, e.mode());
      assertEquals("x", e.get("msg"));
    }
  }

  @Test
  void compressedPackedForwardDecodesConcatenatedGzipMembers() {
    byte[] first = Wire.entries(SECONDS, List.of(Map.of("n", 1), Map.of("n", 2)));
    byte[] second = Wire.entries(SECONDS + 10, List.of(Map.of("n", 3)));
    byte[] gzip = Wire.gzipMembers(first, second);
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(Wire.packed("app.gz", gzip, Map.of("compressed", "gzip", "size", 3)));
      List<ReceivedEvent> events = server.awaitEvents(3, TIMEOUT);

      assertEquals(List.of(1L, 2L, 3L), events.stream().map(e -> e.get("n")).toList());
      assertEquals(EventTime.of(SECONDS + 10, 0), events.get(2).time());
      assertEquals(EventMode.COMPRESSED_PACKED_FORWARD, events.get(2).mode());
      ReceivedRequest request = server.requests().get(0);
      assertTrue(request.compressed());
      assertEquals(3, request.eventCount());
    }
  }

  @Test
  void integerAndFloatTimesAreDecodedAndTheirWireTypeKept() {
    byte[] integerTime = Wire.pack(p -> {
      p.packArrayHeader(3);
      p.packString("t.int");
      p.packLong(SECONDS);
      Wire.value(p, Map.of());
    });
    byte[] floatTime = Wire.pack(p -> {
      p.packArrayHeader(3);
      p.packString("t.float");
      p.packDouble(SECONDS + 0.25);
      Wire.value(p, Map.of());
    });
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(integerTime, floatTime);
      List<ReceivedEvent> events = server.awaitEvents(2, TIMEOUT);

      assertEquals(EventTime.of(SECONDS, 0), events.get(0).time());
      assertEquals(TimeType.INTEGER, events.get(0).timeType());
      assertEquals(EventTime.of(SECONDS, 250_000_000), events.get(1).time());
      assertEquals(TimeType.FLOAT, events.get(1).timeType());
    }
  }

  @Test
  void requestRecordsItsShapeOptionsAndSizeOnTheWire() {
    byte[] request = Wire.message("app.r", SECONDS, 0, Map.of("k", "v"), "chunk-1");
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(request);
      ReceivedRequest r = server.awaitRequests(1, TIMEOUT).get(0);

      assertEquals(EventMode.MESSAGE, r.mode());
      assertEquals("app.r", r.tag());
      assertEquals(1, r.eventCount());
      assertEquals(Map.of("chunk", "chunk-1"), r.options());
      assertEquals("chunk-1", r.chunkId());
      assertEquals(request.length, r.sizeInBytes());
      assertEquals(1, r.connectionId());
      assertNull(r.fault());
      assertEquals("chunk-1", server.events().get(0).chunkId());
    }
  }

  @Test
  void heartbeatsAndNonArrayRootsAreSkippedAndTheConnectionStaysUsable() {
    byte[] nil = Wire.pack(p -> p.packNil());
    byte[] notAnArray = Wire.pack(p -> p.packString("hello?"));
    byte[] request = Wire.message("app.ok", SECONDS, 0, Map.of(), "c");
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(nil, notAnArray, nil, request);

      assertEquals("c", client.readAck());
      assertEquals(1, server.events().size());
      assertEquals(1, server.malformedCount());
      assertEquals(1, server.openConnections());
    }
  }

  @Test
  void bytesThatAreNotMsgpackCloseTheConnection() {
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(new byte[] {(byte) 0xc1});

      client.assertClosedByServer();
      assertTrue(server.events().isEmpty());
    }
  }

  @Test
  void aRequestThatBreaksTheProtocolClosesTheConnectionAndSaysWhy() {
    byte[] binaryTag = Wire.pack(p -> {
      p.packArrayHeader(3);
      Wire.value(p, new byte[] {'t'});
      p.packLong(SECONDS);
      Wire.value(p, Map.of());
    });
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(binaryTag);

      client.assertClosedByServer();
      server.awaitOpenConnections(0, TIMEOUT);
      assertTrue(server.protocolErrors().get(0).contains("tag must be a str"),
          server.protocolErrors().toString());
    }
  }

  private static ValueType rawType(MapValue raw, String key) {
    return raw.map().get(ValueFactory.newString(key)).getValueType();
  }
}
