package dev.tributary.internal.report;

import dev.tributary.DropReason;
import dev.tributary.FailureReason;
import dev.tributary.TributaryListener;
import dev.tributary.internal.metrics.Counters;
import java.util.EnumMap;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One rate-limited loss summary for an instance, over the counters of all its parts (the
 * instance's own drops and every output's): whichever output thread finds it due reports what was
 * lost everywhere since the last summary, so several outputs still make at most one summary per
 * interval. Thread safe; the listener is called outside the lock.
 */
public final class LossSummary {

  private final List<Counters> counters;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private long nextNanos;

  public LossSummary(List<Counters> counters, LongSupplier nanoClock, long intervalNanos) {
    this.counters = List.copyOf(counters);
    this.nanoClock = nanoClock;
    this.intervalNanos = intervalNanos;
    this.nextNanos = nanoClock.getAsLong() + intervalNanos;
  }

  /**
   * Tells {@code listener} what was dropped or failed since the last summary, if anything was and
   * the interval has passed since the last one; {@code force} skips the wait (at close).
   */
  public void report(TributaryListener listener, boolean force) {
    EnumMap<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
    EnumMap<FailureReason, Long> failed = new EnumMap<>(FailureReason.class);
    synchronized (this) {
      long now = nanoClock.getAsLong();
      if (!force && now - nextNanos < 0) {
        return;
      }
      nextNanos = now + intervalNanos;
      for (Counters c : counters) {
        c.droppedSinceLastReport().forEach((r, n) -> dropped.merge(r, n, Long::sum));
        c.failedSinceLastReport().forEach((r, n) -> failed.merge(r, n, Long::sum));
      }
    }
    if (!dropped.isEmpty() || !failed.isEmpty()) {
      listener.onSummary(dropped, failed);
    }
  }
}
