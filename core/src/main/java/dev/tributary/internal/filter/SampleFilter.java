package dev.tributary.internal.filter;

import dev.tributary.Filter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a sample of the events: 1 of every {@code interval} (the 1st, the N+1st, ... as
 * fluent-plugin-sampling-filter does), or {@code sampling_percentage} percent at random. With a
 * {@code key}, the decision is a stable hash of that field's value instead, so every event with
 * the same value (a trace id) gets the same decision, in every process and every run; an event
 * without the field is decided as without a key. Thread safe.
 */
public final class SampleFilter implements Filter, LeavesEventAlone {

  private final long interval;
  private final double percentage;
  private final RecordPath key;
  private final AtomicLong seen = new AtomicLong();

  /**
   * @param interval keep 1 of this many, or 0 to use {@code percentage}
   * @param percentage 0 to 100, used when {@code interval} is 0
   * @param key the field a decision is deterministic on, or null
   */
  public SampleFilter(long interval, double percentage, String key) {
    if (interval < 0) {
      throw new IllegalArgumentException("sample: interval must be >= 1, was " + interval);
    }
    if (interval == 0 && !(percentage >= 0 && percentage <= 100)) {
      throw new IllegalArgumentException("sample: sampling_percentage must be between 0 and 100, was " + percentage);
    }
    this.interval = interval;
    this.percentage = percentage;
    this.key = key == null ? null : RecordPath.parse(key);
  }

  @Override
  public boolean filter(Event event) {
    if (key != null) {
      Object v = key.get(event.record());
      if (v != null) {
        return keep(hash(Patterns.text(v)));
      }
    }
    if (interval > 0) {
      return Long.remainderUnsigned(seen.getAndIncrement(), interval) == 0;
    }
    return ThreadLocalRandom.current().nextDouble() * 100 < percentage;
  }

  private boolean keep(long hash) {
    if (interval > 0) {
      return Long.remainderUnsigned(hash, interval) == 0;
    }
    // 53 bits of the hash as a fraction in [0, 1)
    return (hash >>> 11) * 0x1.0p-53 * 100 < percentage;
  }

  /** FNV-1a over the UTF-16 units, then a 64-bit finaliser: the same in every JVM. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public String toString() {
    return "sample";
  }
}
