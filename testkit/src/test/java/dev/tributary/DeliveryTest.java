package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import dev.tributary.testkit.ReceivedRequest;
import dev.tributary.testkit.TimeType;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;

/** Events arrive whole, typed as fluentd expects, in the modes the options ask for. */
class DeliveryTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private static ValueType type(ReceivedEvent e, String key) {
    MapValue raw = e.rawRecord();
    Value v = raw.map().get(ValueFactory.newString(key));
    return v.getValueType();
  }

  @Test
  void everyValueTypeArrivesWithTheMsgpackTypeFluentdExpects() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).build()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("str", "héllo");
      r.put("int", 42);
      r.put("long", 1L << 40);
      r.put("big", new BigInteger("18446744073709551615"));
      r.put("double", 9.99);
      r.put("float", 1.5f);
      r.put("bool", true);
      r.put("nil", null);
      r.put("bytes", new byte[] {1, 2});
      r.put("map", Map.of("k", "v"));
      r.put("list", List.of(1, 2, 3));
      r.put("instant", Instant.parse("2024-01-02T03:04:05.123456789Z"));
      r.put("uuid", UUID.fromString("00000000-0000-0000-0000-000000000001"));
      r.put("enum", DropReason.CLOSED);
      t.emit("types.test", EventTime.of(1_700_000_000L, 123_456_789), r);
      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      assertEquals("types.test", e.tag());
      assertEquals(TimeType.EVENT_TIME, e.timeType());
      assertEquals(EventTime.of(1_700_000_000L, 123_456_789), e.time());
      assertEquals(ValueType.STRING, type(e, "str"));
      assertEquals("héllo", e.record().get("str"));
      assertEquals(ValueType.INTEGER, type(e, "int"));
      assertEquals(42L, e.record().get("int"));
      assertEquals(ValueType.INTEGER, type(e, "long"));
      assertEquals(ValueType.INTEGER, type(e, "big"));
      assertEquals(ValueType.FLOAT, type(e, "double"));
      assertEquals(9.99, e.record().get("double"));
      assertEquals(ValueType.FLOAT, type(e, "float"));
      assertEquals(ValueType.BOOLEAN, type(e, "bool"));
      assertEquals(ValueType.NIL, type(e, "nil"));
      assertEquals(ValueType.BINARY, type(e, "bytes"));
      assertArrayEquals(new byte[] {1, 2}, (byte[]) e.record().get("bytes"));
      assertEquals(ValueType.MAP, type(e, "map"));
      assertEquals(ValueType.ARRAY, type(e, "list"));
      assertEquals(List.of(1L, 2L, 3L), e.record().get("list"));
      assertEquals(ValueType.STRING, type(e, "instant"));
      assertEquals("2024-01-02T03:04:05.123456789Z", e.record().get("instant"));
      assertEquals("00000000-0000-0000-0000-000000000001", e.record().get("uuid"));
      assertEquals("CLOSED", e.record().get("enum"));
      assertEquals(0, t.close(WAIT));
    }
  }

  @Test
  void integerSecondsAndLegacyMsgpackForOldPeers() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port())
            .timeAsInteger(true).legacyMsgpack(true).build()) {
      t.emit("old.peer", EventTime.of(1_700_000_000L, 999), Map.of("s", "x".repeat(100)));
      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      assertEquals(TimeType.INTEGER, e.timeType());
      assertEquals(EventTime.of(1_700_000_000L, 0), e.time());
      assertEquals("x".repeat(100), e.record().get("s"));
      ReceivedRequest req = server.requests().get(0);
      assertTrue(req.eventCount() == 1);
    }
  }

  @Test
  void gzipSendsCompressedPackedForward() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port())
            .compression(Compression.GZIP).build()) {
      for (int i = 0; i < 500; i++) {
        t.emit("gz.test", Map.of("i", i, "text", "repetitive text compresses well"));
      }
      t.flush();
      List<ReceivedEvent> events = server.awaitEvents(500, WAIT);
      for (int i = 0; i < 500; i++) {
        assertEquals((long) i, events.get(i).record().get("i"));
      }
      ReceivedRequest req = server.requests().get(0);
      assertTrue(req.compressed(), "compressed option sent");
      assertEquals("gzip", req.options().get("compressed"));
    }
  }

  @Test
  void withAcksEachRequestCarriesAChunkIdAndSizeAndIsAcked() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).requireAck(true).build()) {
      t.emit("ack.test", Map.of("a", 1));
      t.emit("ack.test", Map.of("a", 2));
      t.flush();
      server.awaitEvents(2, WAIT);
      ReceivedRequest req = server.requests().get(0);
      assertEquals(24, req.chunkId().length(), "16 random bytes in base64");
      assertEquals(2L, ((Number) req.options().get("size")).longValue());
      Await.until("delivered", WAIT, () -> t.metrics().delivered() == 2);
      assertEquals(0, t.metrics().inFlightEvents());
    }
  }

  @Test
  void withoutAcksNoChunkIdIsSent() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).requireAck(false).build()) {
      t.emit("noack.test", Map.of("a", 1));
      t.flush();
      server.awaitEvents(1, WAIT);
      assertNull(server.requests().get(0).chunkId());
      Await.until("delivered", WAIT, () -> t.metrics().delivered() == 1);
    }
  }

  @Test
  void millionEventsFromFourThreadsArriveCompleteInOrderWithoutDuplicates() throws Exception {
    int threads = 4;
    int perThread = 250_000;
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port())
            .bufferMaxBytes(256L * 1024 * 1024).build()) {
      Thread[] ts = new Thread[threads];
      for (int k = 0; k < threads; k++) {
        int thread = k;
        ts[k] = new Thread(() -> {
          Map<String, Object> r = new HashMap<>();
          for (int i = 0; i < perThread; i++) {
            r.put("t", thread);
            r.put("seq", i);
            t.emit(i % 2 == 0 ? "load.even" : "load.odd", r);
          }
        });
        ts[k].start();
      }
      for (Thread th : ts) {
        th.join();
      }
      assertEquals(0, t.close(Duration.ofSeconds(60)));
      List<ReceivedEvent> events = server.awaitEvents(threads * perThread, Duration.ofSeconds(60));
      assertEquals(threads * perThread, events.size(), "no duplicates");
      long[][] next = new long[threads][2];
      for (int k = 0; k < threads; k++) {
        next[k][1] = 1;
      }
      for (ReceivedEvent e : events) {
        int thread = ((Long) e.record().get("t")).intValue();
        long seq = (Long) e.record().get("seq");
        int parity = e.tag().equals("load.even") ? 0 : 1;
        assertEquals(next[thread][parity], seq, "thread " + thread + " tag " + e.tag());
        next[thread][parity] += 2;
      }
      TributaryMetrics m = t.metrics();
      assertEquals(threads * perThread, m.delivered());
      assertEquals(0, m.droppedTotal());
      assertEquals(0, m.resentEvents());
    }
  }

  @Test
  void chunksLargerThanTheRequestLimitAreSplit() {
    int maxRequest = 16 * 1024;
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port())
            .chunkMaxBytes(1024 * 1024).maxRequestBytes(maxRequest).build()) {
      String text = "y".repeat(1000);
      for (int i = 0; i < 300; i++) {
        t.emit("big.chunks", Map.of("i", i, "text", text));
      }
      t.flush();
      List<ReceivedEvent> events = server.awaitEvents(300, WAIT);
      assertEquals(300, events.size());
      List<ReceivedRequest> requests = server.requests();
      assertTrue(requests.size() >= 300 * 1000 / maxRequest, "split into several requests: " + requests.size());
      for (ReceivedRequest r : requests) {
        assertTrue(r.sizeInBytes() <= maxRequest, "request of " + r.sizeInBytes() + " bytes");
      }
    }
  }

  @Test
  void eventLargerThanARequestIsDroppedAndCounted() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port())
            .maxRequestBytes(16 * 1024).build()) {
      t.emit("huge", Map.of("text", "z".repeat(20_000)));
      t.emit("huge", Map.of("text", "small"));
      t.flush();
      assertEquals("small", server.awaitEvents(1, WAIT).get(0).record().get("text"));
      assertEquals(1, t.metrics().dropped(DropReason.TOO_LARGE));
    }
  }

  @Test
  void badTagIsAClearErrorAndNotCounted() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).build()) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> t.emit("bad tag", Map.of()));
      assertTrue(e.getMessage().contains("invalid tag"));
      assertEquals(0, t.metrics().emitted());
    }
  }

  @Test
  void cyclicRecordIsDeliveredWithAMarkerAndCounted() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).build()) {
      Map<String, Object> r = new HashMap<>();
      r.put("self", r);
      t.emit("cycle", r);
      t.flush();
      assertEquals("[cycle]", server.awaitEvents(1, WAIT).get(0).record().get("self"));
      assertEquals(1, t.metrics().replacedValues());
    }
  }

  @Test
  void formatterPathDeliversAndAFailingFormatterOnlyDropsThatEvent() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).build()) {
      RecordFormatter<Integer> ok = (n, out) -> out.field("n", (long) n).field("label", "x" + n);
      RecordFormatter<Integer> broken = (n, out) -> {
        throw new IllegalStateException("bug in a formatter");
      };
      t.emit("fmt", 1_700_000_000L, 5, 1, ok);
      t.emit("fmt", 1_700_000_000L, 5, 2, broken);
      t.emit("fmt", 1_700_000_000L, 5, 3, ok);
      t.flush();
      List<ReceivedEvent> events = server.awaitEvents(2, WAIT);
      assertEquals(3L, events.get(1).record().get("n"));
      assertEquals(EventTime.of(1_700_000_000L, 5), events.get(0).time());
      assertEquals(1, t.metrics().dropped(DropReason.INVALID));
    }
  }

  @Test
  void aLoneEventIsSentWhenItsChunkHasLingeredForFlushIntervalNotLater() {
    Duration flushInterval = Duration.ofSeconds(2);
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).flushInterval(flushInterval).build()) {
      // a first event opens the connection, so the measured one waits for nothing but its chunk
      t.emit("linger", Map.of("n", 0));
      t.flush();
      server.awaitEvents(1, WAIT);
      long start = System.nanoTime();
      t.emit("linger", Map.of("n", 1));
      server.awaitEvents(2, WAIT);
      long waited = System.nanoTime() - start;
      // sealed at its own deadline (a few ms early at most), not on the next look of a timer
      assertTrue(waited >= flushInterval.toNanos() - 50_000_000L, "sent after " + waited / 1_000_000 + " ms");
      assertTrue(waited < flushInterval.toNanos() + 450_000_000L, "sent after " + waited / 1_000_000 + " ms");
    }
  }
}
