package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stdout and file outputs through a whole instance: exact JSON lines, and files rotated by the clock. */
class FileAndStdoutOutputsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final EventTime TIME = EventTime.of(1_796_108_400L, 123_456_789);

  @TempDir
  Path dir;

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static void emitAndAwait(Tributary t, String output, String tag, Map<String, ?> record) {
    long before = t.metrics().output(output).delivered();
    t.emit(tag, TIME, record);
    t.flush();
    Await.until("delivered", WAIT, () -> t.metrics().output(output).delivered() == before + 1);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void stdoutWritesOneJsonLineAnEventWithTypesKept() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Tributary t = Tributary.builder().name("stdout")
        .output("console", Outputs.stdout(out)).match("**", "console").build()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("int", 42);
      r.put("long", 1L << 40);
      r.put("double", 9.99);
      r.put("bool", false);
      r.put("nil", null);
      r.put("big", new BigInteger("18446744073709551615"));
      r.put("list", List.of(1, "two"));
      r.put("map", Map.of("k", "v"));
      emitAndAwait(t, "console", "app.orders", r);
      t.event("app.orders").time(TIME).put("id", 7).put("amount", 1.5).put("ok", true).emit();
      t.flush();
      Await.until("delivered", WAIT, () -> t.metrics().output("console").delivered() == 2);
      assertEquals("{\"time\":\"2026-12-01T07:00:00.123456789Z\",\"tag\":\"app.orders\",\"record\":"
          + "{\"int\":42,\"long\":1099511627776,\"double\":9.99,\"bool\":false,\"nil\":null,"
          + "\"big\":18446744073709551615,\"list\":[1,\"two\"],\"map\":{\"k\":\"v\"}}}\n"
          + "{\"time\":\"2026-12-01T07:00:00.123456789Z\",\"tag\":\"app.orders\",\"record\":"
          + "{\"id\":7,\"amount\":1.5,\"ok\":true}}\n", out.toString(StandardCharsets.UTF_8));
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void theFileRotatesWhenTheClockEntersANewPeriod() throws IOException {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T07:15:00Z"));
    Path path = dir.resolve("events.log");
    try (Tributary t = Tributary.builder().name("file-time").clock(clock)
        .output("archive", Outputs.file(path).maxFileBytes(0).rotateInterval(Duration.ofHours(1)))
        .match("**", "archive").build()) {
      emitAndAwait(t, "archive", "a", Map.of("n", 1));
      clock.now = Instant.parse("2026-12-01T07:59:59Z");
      emitAndAwait(t, "archive", "a", Map.of("n", 2));
      assertEquals(List.of("events.log"), names());
      clock.now = Instant.parse("2026-12-01T08:00:00Z");
      emitAndAwait(t, "archive", "a", Map.of("n", 3));
      assertEquals(List.of("events.log", "events.log.20261201T071500Z"), names());
      String line = "{\"time\":\"2026-12-01T07:00:00.123456789Z\",\"tag\":\"a\",\"record\":{\"n\":%d}}\n";
      assertEquals(String.format(line, 1) + String.format(line, 2), Files.readString(dir.resolve("events.log.20261201T071500Z")));
      assertEquals(String.format(line, 3), Files.readString(path));
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void theFileRotatesBeforeItWouldPassItsSize() throws IOException {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T07:15:00Z"));
    Path path = dir.resolve("events.log");
    String line = "{\"time\":\"2026-12-01T07:00:00.123456789Z\",\"tag\":\"a\",\"record\":{\"n\":%d}}\n";
    int lineBytes = String.format(line, 1).length();
    try (Tributary t = Tributary.builder().name("file-size").clock(clock)
        .output("archive", Outputs.file(path).maxFileBytes(2L * lineBytes).rotateInterval(Duration.ZERO))
        .match("**", "archive").build()) {
      for (int n = 1; n <= 5; n++) {
        emitAndAwait(t, "archive", "a", Map.of("n", n));
      }
      assertEquals(List.of("events.log", "events.log.20261201T071500Z", "events.log.20261201T071500Z.1"), names());
      assertEquals(String.format(line, 1) + String.format(line, 2), Files.readString(dir.resolve("events.log.20261201T071500Z")));
      assertEquals(String.format(line, 3) + String.format(line, 4), Files.readString(dir.resolve("events.log.20261201T071500Z.1")));
      assertEquals(String.format(line, 5), Files.readString(path));
    }
  }
}
