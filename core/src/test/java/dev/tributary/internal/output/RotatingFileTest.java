package dev.tributary.internal.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file output's file: appended to, renamed aside by size and by the clock's periods. */
class RotatingFileTest {

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T07:15:00Z"));
  private RotatingFile file;

  @AfterEach
  void close() {
    if (file != null) {
      file.close();
    }
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

  private void write(String lines) throws IOException {
    byte[] b = lines.getBytes(StandardCharsets.UTF_8);
    file.write(b, b.length);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }

  @Test
  void linesGoToThePathAndItsDirectoryIsMade() throws IOException {
    file = new RotatingFile(dir.resolve("logs/events.log"), 0, 0, clock);
    write("a\n");
    write("b\n");
    assertEquals("a\nb\n", Files.readString(dir.resolve("logs/events.log")));
  }

  @Test
  void aFileThatWouldPassTheSizeIsRenamedAsideWithItsStartTime() throws IOException {
    file = new RotatingFile(dir.resolve("events.log"), 10, 0, clock);
    write("12345\n");
    write("678\n");     // 10 bytes: still fits
    clock.now = Instant.parse("2026-12-01T07:16:00Z");
    write("abc\n");     // would make 14: a new file
    assertEquals(List.of("events.log", "events.log.20261201T071500Z"), names());
    assertEquals("12345\n678\n", read("events.log.20261201T071500Z"));
    assertEquals("abc\n", read("events.log"));
  }

  @Test
  void aChunkLargerThanTheSizeStillGoesWholeIntoAFile() throws IOException {
    file = new RotatingFile(dir.resolve("events.log"), 4, 0, clock);
    write("0123456789\n");
    assertEquals(List.of("events.log"), names());
    write("x\n");
    assertEquals("0123456789\n", read("events.log.20261201T071500Z"));
  }

  @Test
  void aNewPeriodOfTheClockStartsANewFile() throws IOException {
    file = new RotatingFile(dir.resolve("events.log"), 0, 3_600_000, clock);
    write("seven\n");
    clock.now = Instant.parse("2026-12-01T07:59:59.999Z");
    write("still seven\n");
    assertEquals(List.of("events.log"), names());
    clock.now = Instant.parse("2026-12-01T08:00:00Z");
    write("eight\n");
    assertEquals(List.of("events.log", "events.log.20261201T071500Z"), names());
    assertEquals("seven\nstill seven\n", read("events.log.20261201T071500Z"));
    clock.now = Instant.parse("2026-12-01T10:30:00Z");
    write("ten\n");
    assertEquals(List.of("events.log", "events.log.20261201T071500Z", "events.log.20261201T080000Z"), names());
    assertEquals("eight\n", read("events.log.20261201T080000Z"));
    assertEquals("ten\n", read("events.log"));
  }

  @Test
  void aTakenNameGetsANumber() throws IOException {
    file = new RotatingFile(dir.resolve("events.log"), 2, 0, clock);
    write("a\n");
    write("b\n");
    write("c\n");
    write("d\n");
    assertEquals(List.of("events.log", "events.log.20261201T071500Z", "events.log.20261201T071500Z.1",
        "events.log.20261201T071500Z.2"), names());
    assertEquals("a\n", read("events.log.20261201T071500Z"));
    assertEquals("b\n", read("events.log.20261201T071500Z.1"));
    assertEquals("c\n", read("events.log.20261201T071500Z.2"));
    assertEquals("d\n", read("events.log"));
  }

  @Test
  void aFileFoundAtStartIsAppendedToInItsPeriodAndRotatedFirstAfterIt() throws IOException {
    Path p = dir.resolve("events.log");
    Files.writeString(p, "old\n");
    Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2026-12-01T07:01:00Z")));
    file = new RotatingFile(p, 0, 3_600_000, clock);
    write("new\n");
    assertEquals("old\nnew\n", read("events.log"));
    file.close();

    Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2026-11-30T23:00:00Z")));
    file = new RotatingFile(p, 0, 3_600_000, clock);
    write("today\n");
    assertEquals("old\nnew\n", read("events.log.20261130T230000Z"));
    assertEquals("today\n", read("events.log"));
  }

  @Test
  void afterCloseTheNextWriteOpensTheFileAgain() throws IOException {
    file = new RotatingFile(dir.resolve("events.log"), 0, 0, clock);
    write("a\n");
    file.close();
    write("b\n");
    assertTrue(read("events.log").equals("a\nb\n"));
  }
}
