package dev.tributary.internal.filter;

import dev.tributary.DropReason;
import dev.tributary.Filter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Fluent Bit's {@code throttle}, per tag: each tag may average {@code rate} events per {@code
 * interval} over a sliding window of {@code window} intervals; an event that would lift the
 * average above the rate is dropped, counted as {@link DropReason#THROTTLED}. Like Fluent Bit it
 * starts slowly: until a tag has seen a whole window, the average is over the intervals seen so
 * far, so the first interval takes at most {@code rate} events. Time comes from an injected
 * nanosecond clock. Thread safe: one small lock per tag.
 */
public final class ThrottleFilter implements Filter, LeavesEventAlone {

  private final long rate;
  private final int window;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Panes> tags = new ConcurrentHashMap<>();

  public ThrottleFilter(long rate, int window, long intervalNanos, LongSupplier nanoClock) {
    if (rate < 1) {
      throw new IllegalArgumentException("throttle: rate must be >= 1, was " + rate);
    }
    if (window < 1) {
      throw new IllegalArgumentException("throttle: window must be >= 1, was " + window);
    }
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("throttle: interval must be > 0");
    }
    this.rate = rate;
    this.window = window;
    this.intervalNanos = intervalNanos;
    this.nanoClock = nanoClock;
  }

  /** One tag's counts: a ring of {@code window} panes, each stamped with its interval number. */
  private final class Panes {
    final long[] stamp = new long[window];
    final long[] count = new long[window];
    final long first;

    Panes(long pane) {
      this.first = pane;
      java.util.Arrays.fill(stamp, Long.MIN_VALUE);
    }

    synchronized boolean admit(long pane) {
      int at = (int) Math.floorMod(pane, (long) window);
      if (stamp[at] != pane) {
        stamp[at] = pane;
        count[at] = 0;
      }
      long total = 0;
      for (int i = 0; i < window; i++) {
        if (stamp[i] > pane - window && stamp[i] <= pane) {
          total += count[i];
        }
      }
      long used = Math.min(window, pane - first + 1);
      if (total + 1 > rate * used) {
        return false;
      }
      count[at]++;
      return true;
    }
  }

  @Override
  public boolean filter(Event event) {
    long pane = Math.floorDiv(nanoClock.getAsLong(), intervalNanos);
    Panes p = tags.get(event.tag());
    if (p == null) {
      p = tags.computeIfAbsent(event.tag(), t -> new Panes(pane));
    }
    return p.admit(pane);
  }

  @Override
  public DropReason dropReason() {
    return DropReason.THROTTLED;
  }

  @Override
  public String toString() {
    return "throttle";
  }
}
