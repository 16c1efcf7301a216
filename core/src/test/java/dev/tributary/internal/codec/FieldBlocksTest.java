package dev.tributary.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.RecordFormatter;
import dev.tributary.RecordWriter;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/** Runs of fields the encoder keeps and writes again: same bytes, right keys, the size limit kept. */
class FieldBlocksTest {

  /** One event: a message, then level and logger as a run named by the two strings. */
  private record Event(String message, String level, String logger) {}

  /** Writes level and logger as a kept run and counts how often it had to write them itself. */
  private static final class RunFormatter implements RecordFormatter<Event> {
    /** Whether a field follows the run; without one, nothing after the run checks the size limit. */
    final boolean trailer;
    int written;

    RunFormatter() {
      this(true);
    }

    RunFormatter(boolean trailer) {
      this.trailer = trailer;
    }

    @Override
    public void format(Event e, RecordWriter out) {
      out.field("message", e.message());
      FieldBlocks blocks = (FieldBlocks) out;
      if (!blocks.replay(this, e.level(), e.logger(), null, null)) {
        written++;
        out.field("level", e.level());
        out.field("logger", e.logger());
        blocks.endBlock();
      }
      if (trailer) {
        out.field("seq", 7L);
      }
    }
  }

  private static byte[] encode(EventEncoder enc, RunFormatter f, Event e) {
    enc.encode(1_700_000_000L, 5, e, f);
    return Arrays.copyOf(enc.array(), enc.size());
  }

  /** The record as keys and values, in order, strings and longs as Java values. */
  private static Map<String, Object> record(byte[] bytes) throws IOException {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      Value[] entry = u.unpackValue().asArrayValue().list().toArray(new Value[0]);
      Map<String, Object> r = new LinkedHashMap<>();
      entry[1].asMapValue().map().forEach((k, v) ->
          r.put(k.asStringValue().asString(), v.isIntegerValue() ? (Object) v.asIntegerValue().toLong()
              : v.asStringValue().asString()));
      return r;
    }
  }

  @Test
  void aRunIsKeptTheSecondTimeItIsAskedForAndReplayedByteForByte() throws IOException {
    EventEncoder enc = new EventEncoder(false, false);
    RunFormatter f = new RunFormatter();
    String level = "INFO";
    String logger = "com.example.shop.OrderService";
    byte[] first = encode(enc, f, new Event("one", level, logger));
    encode(enc, f, new Event("two", level, logger));
    assertEquals(2, f.written, "asked for twice in a row, the run is kept");
    byte[] third = encode(enc, f, new Event("three", level, logger));
    assertEquals(2, f.written, "the third event replays it");
    assertEquals(Map.of("message", "three", "level", level, "logger", logger, "seq", 7L), record(third));
    assertEquals(4, record(third).size(), "the map header counts the replayed fields");
    byte[] fresh = encode(new EventEncoder(false, false), new RunFormatter(), new Event("three", level, logger));
    assertArrayEquals(fresh, third, "the same bytes as an encoder that wrote every field");
    assertEquals(record(first).keySet(), record(third).keySet());
  }

  @Test
  void namesAreComparedByIdentitySoAnEqualCopyIsWrittenAgain() throws IOException {
    EventEncoder enc = new EventEncoder(false, false);
    RunFormatter f = new RunFormatter();
    encode(enc, f, new Event("m", "INFO", "a.B"));
    encode(enc, f, new Event("m", "INFO", "a.B"));
    byte[] copy = encode(enc, f, new Event("m", new String("INFO"), "a.B"));
    assertEquals(3, f.written);
    assertEquals("INFO", record(copy).get("level"));
    encode(enc, f, new Event("m", "WARN", "a.B"));
    assertEquals(4, f.written);
    assertEquals("INFO", record(encode(enc, f, new Event("m", "INFO", "a.B"))).get("level"));
  }

  @Test
  void runsThatShareASlotNeverLendEachOtherTheirBytes() throws IOException {
    EventEncoder enc = new EventEncoder(false, false);
    RunFormatter f = new RunFormatter();
    String[] loggers = new String[500];
    for (int i = 0; i < loggers.length; i++) {
      loggers[i] = "com.example.Service" + i;
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < loggers.length; i++) {
        String level = i % 2 == 0 ? "INFO" : "DEBUG";
        for (int again = 0; again < 3; again++) { // kept on the second, replayed on the third
          Map<String, Object> r = record(encode(enc, f, new Event("m", level, loggers[i])));
          assertEquals(loggers[i], r.get("logger"));
          assertEquals(level, r.get("level"));
        }
      }
    }
  }

  @Test
  void aReplayedRunStillPassesTheEventSizeLimit() {
    EventEncoder enc = new EventEncoder(false, false, 96);
    RunFormatter f = new RunFormatter(false);
    String logger = "com.example.shop.OrderService"; // the run: 6 + 5 + 7 + 30 bytes
    encode(enc, f, new Event("short", "INFO", logger));
    encode(enc, f, new Event("short", "INFO", logger));
    Event big = new Event("x".repeat(40), "INFO", logger); // fits on its own, not with the run
    assertThrows(EventTooLargeException.class, () -> encode(enc, f, big));
    assertEquals(2, f.written, "the run was replayed, and the replay checked the limit");
    assertThrows(EventTooLargeException.class, () -> encode(new EventEncoder(false, false, 96), f, big),
        "as writing the fields does");
  }

  @Test
  void aRunCutShortIsNotKeptNorTakenForTheNextOne() throws IOException {
    EventEncoder enc = new EventEncoder(false, false, 96);
    RunFormatter f = new RunFormatter();
    String logger = "com.example.shop.OrderService";
    String other = "com.example.Other";
    encode(enc, f, new Event("ok", "INFO", logger));
    assertThrows(EventTooLargeException.class, () -> encode(enc, f, new Event("x".repeat(50), "INFO", logger)));
    assertEquals(Map.of("message", "ok", "level", "INFO", "logger", other, "seq", 7L),
        record(encode(enc, f, new Event("ok", "INFO", other))), "a run not kept, after one cut short");
    for (int i = 0; i < 3; i++) {
      assertEquals(Map.of("message", "ok", "level", "INFO", "logger", logger, "seq", 7L),
          record(encode(enc, f, new Event("ok", "INFO", logger))));
    }
  }

  @Test
  void aRunLongerThanAKeptOneIsWrittenEachTime() throws IOException {
    EventEncoder enc = new EventEncoder(false, false);
    RunFormatter f = new RunFormatter();
    String logger = "com.example.".repeat(25);
    for (int i = 0; i < 3; i++) {
      assertEquals(logger, record(encode(enc, f, new Event("m", "INFO", logger))).get("logger"));
    }
    assertEquals(3, f.written);
  }
}
