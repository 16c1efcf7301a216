package dev.tributary.logging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.internal.codec.EventEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * The record as the encoder writes it, where the level, logger and thread fields and the static
 * fields are kept from one event to the next and written again in one copy: the same bytes as
 * fields written one by one, and every change of level, logger or thread shows.
 */
class EncodedRecordTest {

  private final LogRecordFormatter<FakeEvent> formatter = new LogRecordFormatter<>(LogEventMapping.builder()
      .hostName("web-1").serviceName("shop").staticFields("env=prod").build(), FakeEvent.ACCESSOR);

  private byte[] encode(EventEncoder enc, FakeEvent e) {
    ThreadState t = new ThreadState();
    t.event = e;
    enc.encode(1_700_000_000L, 0, t, formatter);
    return Arrays.copyOf(enc.array(), enc.size());
  }

  /** The record's keys in order, and its string values (other values as their msgpack text). */
  private static List<String> fields(byte[] bytes) throws IOException {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      Value record = u.unpackValue().asArrayValue().get(1);
      List<String> out = new ArrayList<>();
      record.asMapValue().map().forEach((k, v) ->
          out.add(k.asStringValue().asString() + "=" + (v.isStringValue() ? v.asStringValue().asString() : v)));
      return out;
    }
  }

  @Test
  void keptFieldsAreTheBytesOfFieldsWrittenOneByOne() throws IOException {
    EventEncoder enc = new EventEncoder(false, false);
    FakeEvent e = new FakeEvent();
    e.thrown = new IllegalStateException("boom");
    e.markers.add("AUDIT");
    e.mdc.put("request_id", "r-1");
    byte[] first = encode(enc, e);
    encode(enc, e); // the encoder keeps the runs the second time
    byte[] again = encode(enc, e);
    assertArrayEquals(first, again);
    assertArrayEquals(encode(new EventEncoder(false, false), e), again);
    assertEquals(List.of("message", "level", "logger", "thread", "error", "markers", "host", "service", "env",
        "request_id"), keys(again));
  }

  /** Encodes {@code e} twice, so that the encoder keeps its runs, and returns the record's fields. */
  private List<String> kept(EventEncoder enc, FakeEvent e) throws IOException {
    encode(enc, e);
    return fields(encode(enc, e));
  }

  @Test
  void aNewLevelLoggerOrThreadIsWrittenAsItIs() throws IOException {
    EventEncoder enc = new EventEncoder(false, false);
    FakeEvent e = new FakeEvent();
    kept(enc, e);
    e.level = "WARN";
    assertEquals(List.of("message=hello", "level=WARN", "logger=com.example.App", "thread=main", "host=web-1",
        "service=shop", "env=prod"), kept(enc, e));
    e.logger = "com.example.Other";
    assertEquals(List.of("message=hello", "level=WARN", "logger=com.example.Other", "thread=main",
        "host=web-1", "service=shop", "env=prod"), kept(enc, e));
    e.thread = "worker-2";
    assertEquals(List.of("message=hello", "level=WARN", "logger=com.example.Other", "thread=worker-2",
        "host=web-1", "service=shop", "env=prod"), kept(enc, e));
    e.originalLevel = "WARNING";
    assertEquals(List.of("message=hello", "level=WARN", "original_level=WARNING", "logger=com.example.Other",
        "thread=worker-2", "host=web-1", "service=shop", "env=prod"), kept(enc, e));
    e.originalLevel = null;
    assertEquals(List.of("message=hello", "level=WARN", "logger=com.example.Other", "thread=worker-2",
        "host=web-1", "service=shop", "env=prod"), kept(enc, e));
  }

  @Test
  void withAndWithoutAnErrorBetweenThemTheFieldsKeepTheirOrder() throws IOException {
    EventEncoder enc = new EventEncoder(false, false);
    FakeEvent plain = new FakeEvent();
    FakeEvent failed = new FakeEvent();
    failed.thrown = new IllegalStateException("boom");
    List<String> withoutError = List.of("message", "level", "logger", "thread", "host", "service", "env");
    List<String> withError = List.of("message", "level", "logger", "thread", "error", "host", "service", "env");
    for (FakeEvent e : List.of(plain, plain, plain, failed, failed, failed, plain, failed)) {
      assertEquals(e == plain ? withoutError : withError, keys(encode(enc, e)));
    }
  }

  private static List<String> keys(byte[] bytes) throws IOException {
    return fields(bytes).stream().map(f -> f.substring(0, f.indexOf('='))).toList();
  }

  @Test
  void twoFormattersOnOneEncoderKeepTheirOwnStaticFields() throws IOException {
    LogRecordFormatter<FakeEvent> other = new LogRecordFormatter<>(LogEventMapping.builder()
        .hostName("web-2").staticFields("env=test").build(), FakeEvent.ACCESSOR);
    EventEncoder enc = new EventEncoder(false, false);
    FakeEvent e = new FakeEvent();
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of("message=hello", "level=INFO", "logger=com.example.App", "thread=main", "host=web-1",
          "service=shop", "env=prod"), fields(encode(enc, e)));
      ThreadState t = new ThreadState();
      t.event = e;
      enc.encode(1_700_000_000L, 0, t, other);
      assertEquals(List.of("message=hello", "level=INFO", "logger=com.example.App", "thread=main", "host=web-2",
          "env=test"), fields(Arrays.copyOf(enc.array(), enc.size())));
    }
  }
}
