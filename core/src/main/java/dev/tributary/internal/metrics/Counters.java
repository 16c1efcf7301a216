package dev.tributary.internal.metrics;

import dev.tributary.DropReason;
import dev.tributary.FailureReason;
import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@code metrics()}. Thread safe; increments are {@link LongAdder}s so
 * application threads do not contend on one cache line.
 */
public final class Counters {

  /**
   * Events counted as emitted where they come about (a filter's copies). Not an output's: what an
   * output took is counted by its stripes, what it refused by its drops.
   */
  public final LongAdder emitted = new LongAdder();
  public final LongAdder delivered = new LongAdder();
  /**
   * An output's events in a chunk (open or sealed) not yet handed to the output, less the events
   * its buffer took (which its stripes count): every change but the append itself.
   */
  public final LongAdder buffered = new LongAdder();
  /** Events handed to the output and not yet reported delivered or failed back. */
  public final LongAdder inFlight = new LongAdder();
  public final LongAdder retries = new LongAdder();
  public final LongAdder failedChunks = new LongAdder();
  public final LongAdder resent = new LongAdder();
  public final LongAdder replacedValues = new LongAdder();
  /** Times a filter threw, whether its event was then kept or dropped. */
  public final LongAdder filterErrors = new LongAdder();
  /** Events found in the file buffer at start (a previous run's), queued to be sent. */
  public final LongAdder recovered = new LongAdder();
  /** Events left in the file buffer at close, for the next start. */
  public final LongAdder keptOnDisk = new LongAdder();
  private final LongAdder[] dropped = adders(DropReason.values().length);
  private final LongAdder[] failed = adders(FailureReason.values().length);

  // what the last summary reported, read and written by the flusher thread only
  private final long[] droppedReported = new long[DropReason.values().length];
  private final long[] failedReported = new long[FailureReason.values().length];

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  public void dropped(DropReason reason, long events) {
    dropped[reason.ordinal()].add(events);
  }

  public void failed(FailureReason reason, long events) {
    failed[reason.ordinal()].add(events);
  }

  public EnumMap<DropReason, Long> droppedSnapshot() {
    EnumMap<DropReason, Long> m = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      m.put(r, dropped[r.ordinal()].sum());
    }
    return m;
  }

  public EnumMap<FailureReason, Long> failedSnapshot() {
    EnumMap<FailureReason, Long> m = new EnumMap<>(FailureReason.class);
    for (FailureReason r : FailureReason.values()) {
      m.put(r, failed[r.ordinal()].sum());
    }
    return m;
  }

  /**
   * Non-zero drops since the previous call, but for {@link DropReason#FILTERED}: a filter's
   * intended drop is no loss to report. Flusher thread only.
   */
  public EnumMap<DropReason, Long> droppedSinceLastReport() {
    EnumMap<DropReason, Long> m = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      if (r == DropReason.FILTERED) {
        continue;
      }
      long now = dropped[r.ordinal()].sum();
      long d = now - droppedReported[r.ordinal()];
      droppedReported[r.ordinal()] = now;
      if (d > 0) {
        m.put(r, d);
      }
    }
    return m;
  }

  /** Non-zero failures since the previous call. Flusher thread only. */
  public EnumMap<FailureReason, Long> failedSinceLastReport() {
    EnumMap<FailureReason, Long> m = new EnumMap<>(FailureReason.class);
    for (FailureReason r : FailureReason.values()) {
      long now = failed[r.ordinal()].sum();
      long d = now - failedReported[r.ordinal()];
      failedReported[r.ordinal()] = now;
      if (d > 0) {
        m.put(r, d);
      }
    }
    return m;
  }
}
