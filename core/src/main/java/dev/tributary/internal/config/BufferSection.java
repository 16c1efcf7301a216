package dev.tributary.internal.config;

import dev.tributary.ConfigValues;
import dev.tributary.OverflowPolicy;
import dev.tributary.Tributary;
import dev.tributary.FsyncMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Reads a {@code <buffer>} section by Fluentd's buffer parameter names. Stateless. */
final class BufferSection {

  static final String KNOWN = "@type memory|file, path, fsync, fsync_interval, chunk_limit_size, chunk_limit_records, flush_interval,"
      + " total_limit_size, overflow_action, retry_wait, retry_max_interval, retry_max_times, retry_timeout,"
      + " retry_forever, retry_type exponential_backoff, flush_mode interval, flush_at_shutdown true";

  private BufferSection() {}

  /** The buffer type of an output section: its {@code <buffer>}'s {@code @type}, else memory. Reads nothing. */
  static String typeOf(ConfigElement output) {
    for (ConfigElement s : output.sections()) {
      if (s.name().equals("buffer")) {
        return s.has("@type") ? s.peek("@type").trim() : "memory";
      }
    }
    return "memory";
  }

  /** Maps Tributary's fsync names, written in Fluentd's style ({@code on_seal}). */
  private static final class ConfigValuesBridge {
    static FsyncMode fsync(ConfigElement e, String text) {
      try {
        return dev.tributary.ConfigValues.enumValue("fsync", text.trim(), FsyncMode.class);
      } catch (IllegalArgumentException ex) {
        throw e.bad("fsync", text, "on_seal, interval or none");
      }
    }
  }

  /**
   * A {@code <buffer>}: Fluentd's buffer parameters onto the output's chunks, budget and retries;
   * the backoff ({@code retry_wait}, {@code retry_max_interval}) is the instance's.
   */
  static void apply(ConfigElement buffer, BufferTarget target, Tributary.Builder b, Shared shared,
      boolean timeKeyed) {
    String keys = buffer.arg().trim();
    if (!keys.isEmpty() && !keys.equals("tag") && !(timeKeyed && keys.replace(" ", "").matches("time|tag,time|time,tag"))) {
      throw buffer.error(keys, "<buffer " + keys + ">: chunks are always keyed by tag; write <buffer> or <buffer tag>"
          + (timeKeyed ? " (or <buffer time> with timekey, for the file's rotation)" : ""));
    }
    String type = buffer.get("@type", "memory").trim();
    boolean file = type.equals("file");
    if (!file && !type.equals("memory")) {
      throw buffer.bad("@type", type, "memory or file");
    }
    if (file) {
      String path = buffer.required("path");
      shared.set(buffer, "path", path, () -> b.bufferPath(Path.of(path)));
      String fsync = buffer.get("fsync");
      if (fsync != null) {
        FsyncMode mode = ConfigValuesBridge.fsync(buffer, fsync);
        shared.set(buffer, "fsync", mode, () -> b.fsync(mode));
      }
      ForwardSection.duration(buffer, shared, "fsync_interval", b::fsyncInterval);
    } else if (buffer.has("path") || buffer.has("fsync") || buffer.has("fsync_interval")) {
      String key = buffer.has("path") ? "path" : buffer.has("fsync") ? "fsync" : "fsync_interval";
      throw buffer.error(key, "'" + key + "' needs '@type file' in " + buffer.describe());
    }
    if (buffer.has("chunk_limit_size")) {
      long n = buffer.size("chunk_limit_size", 0);
      if (n > Integer.MAX_VALUE) {
        throw buffer.bad("chunk_limit_size", buffer.get("chunk_limit_size"), "below 2g");
      }
      ForwardSection.applying(buffer, "chunk_limit_size", () -> target.chunkMaxBytes((int) n));
    }
    if (buffer.has("chunk_limit_records")) {
      int n = buffer.integer("chunk_limit_records", 0);
      ForwardSection.applying(buffer, "chunk_limit_records", () -> target.chunkMaxRecords(n));
    }
    Duration flush = buffer.time("flush_interval", null);
    if (flush != null) {
      ForwardSection.applying(buffer, "flush_interval", () -> target.flushInterval(flush));
    }
    if (buffer.has("total_limit_size")) {
      long n = buffer.size("total_limit_size", 0);
      if (file) {
        // a file buffer's budget is the disk's, the same for every output's directory
        shared.set(buffer, "total_limit_size", n, () -> b.fileBufferMaxBytes(n));
      } else {
        ForwardSection.applying(buffer, "total_limit_size", () -> target.bufferMaxBytes(n));
      }
    }
    String overflow = buffer.get("overflow_action");
    if (overflow != null) {
      OverflowPolicy p = switch (overflow.trim()) {
        case "block" -> OverflowPolicy.BLOCK;
        case "drop_oldest_chunk" -> OverflowPolicy.DROP_OLDEST;
        case "throw_exception" -> OverflowPolicy.THROW;
        case "drop_newest" -> OverflowPolicy.DROP_NEWEST;
        default -> throw buffer.bad("overflow_action", overflow,
            "block, drop_oldest_chunk, throw_exception or drop_newest");
      };
      ForwardSection.applying(buffer, "overflow_action", () -> target.overflowPolicy(p));
    }
    ForwardSection.duration(buffer, shared, "retry_wait", b::retryInitialBackoff);
    ForwardSection.duration(buffer, shared, "retry_max_interval", b::retryMaxBackoff);
    if (buffer.has("retry_max_times")) {
      int n = buffer.integer("retry_max_times", 0);
      ForwardSection.applying(buffer, "retry_max_times", () -> target.retryMaxAttempts(n));
    }
    Duration retryTimeout = buffer.time("retry_timeout", null);
    if (retryTimeout != null) {
      ForwardSection.applying(buffer, "retry_timeout", () -> target.retryTimeout(retryTimeout));
    }
    if (buffer.bool("retry_forever", false)) {
      ForwardSection.applying(buffer, "retry_forever", () -> {
        target.retryMaxAttempts(0);
        target.retryTimeout(ConfigValues.MAX_DURATION);
      });
    }
    only(buffer, "retry_type", "exponential_backoff");
    String mode = buffer.get("flush_mode");
    if (mode != null && !List.of("interval", "default").contains(mode.trim())) {
      throw buffer.bad("flush_mode", mode, "interval (chunks are sealed by size, records and flush_interval)");
    }
    only(buffer, "flush_at_shutdown", "true");
    buffer.checkAllRead(KNOWN + (timeKeyed ? ", timekey, timekey_use_utc true" : ""));
  }

  /** A parameter Tributary accepts with one value only: the way it always works. */
  private static void only(ConfigElement e, String key, String value) {
    String v = e.get(key);
    if (v != null && !v.trim().equals(value)) {
      throw e.bad(key, v, value);
    }
  }

}
