package dev.tributary.internal.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Lines appended to one file, {@code path}, that is renamed aside and started anew when it would
 * pass {@code maxBytes} or when the clock enters a new period of {@code interval} (periods counted
 * from the epoch in UTC: with one hour, each file holds one clock hour). The renamed file is
 * {@code <path>.<yyyyMMdd'T'HHmmss'Z'>}, the time the file was started (a file found at start: its
 * last change), with {@code .1}, {@code .2} ... added if that name is taken. The active file keeps
 * its name, so a collector that tails {@code path} follows the rotation, and the rotated names do
 * not end in the active file's extension, so a glob such as {@code *.log} does not take them twice.
 *
 * <p>A file holds at least one chunk's lines, so it passes {@code maxBytes} only when one chunk
 * does. Rotation is checked as lines are written: no write, no rotation. A file that exists at
 * start is appended to, or rotated first if it belongs to an earlier period. The directory is
 * created if missing.
 *
 * <p>Driven by one thread (the output's flusher); {@link #close()} closes the file.
 */
public final class RotatingFile implements JsonLinesOutput.Target {

  static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path path;
  private final long maxBytes;
  private final long intervalMillis;
  private final Clock clock;
  private FileChannel channel;
  private long size;
  private long startedMillis;

  /**
   * @param maxBytes rotate before a file would pass this; 0 for no size limit
   * @param intervalMillis rotate when a new period of this length begins; 0 for no time rotation
   */
  public RotatingFile(Path path, long maxBytes, long intervalMillis, Clock clock) {
    this.path = path.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.intervalMillis = intervalMillis;
    this.clock = clock;
  }

  @Override
  public void write(byte[] lines, int len) throws IOException {
    long now = clock.millis();
    if (channel == null) {
      open(now);
    }
    if (size > 0 && ((maxBytes > 0 && size + len > maxBytes) || newPeriod(now))) {
      rotate(now);
    }
    ByteBuffer b = ByteBuffer.wrap(lines, 0, len);
    while (b.hasRemaining()) {
      channel.write(b);
    }
    size += len;
  }

  private boolean newPeriod(long now) {
    return intervalMillis > 0 && Math.floorDiv(now, intervalMillis) != Math.floorDiv(startedMillis, intervalMillis);
  }

  private void open(long now) throws IOException {
    Path dir = path.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
    startedMillis = size > 0 ? Files.getLastModifiedTime(path).toMillis() : now;
  }

  private void rotate(long now) throws IOException {
    channel.close();
    channel = null;
    String base = path.getFileName() + "." + SUFFIX.format(Instant.ofEpochMilli(startedMillis));
    Path target = path.resolveSibling(base);
    for (int n = 1; Files.exists(target); n++) {
      target = path.resolveSibling(base + "." + n);
    }
    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
    channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = 0;
    startedMillis = now;
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing is buffered in the channel; a failed close loses nothing
      }
      channel = null;
    }
  }
}
