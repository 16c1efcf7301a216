package dev.tributary.internal.config;

import dev.tributary.ConfigValues;
import dev.tributary.OverflowPolicy;
import dev.tributary.Tributary;
import java.time.Duration;
import java.util.List;

/** Reads a {@code <buffer>} section by Fluentd's buffer parameter names. Stateless. */
final class BufferSection {

  static final String KNOWN = "@type memory, chunk_limit_size, chunk_limit_records, flush_interval,"
      + " total_limit_size, overflow_action, retry_wait, retry_max_interval, retry_max_times, retry_timeout,"
      + " retry_forever, retry_type exponential_backoff, flush_mode interval, flush_at_shutdown true";

  private BufferSection() {}

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
    if (!type.equals("memory")) {
      throw buffer.bad("@type", type, "memory");
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
      ForwardSection.applying(buffer, "total_limit_size", () -> target.bufferMaxBytes(n));
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
