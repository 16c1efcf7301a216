package dev.tributary.internal.forward;

/**
 * Fluentd's phi accrual failure detector for one server ({@code out_forward}'s
 * {@code FailureDetector} and the node's {@code tick} / {@code heartbeat}), as a pure function of
 * the times it is given: no clock, no thread, no I/O.
 *
 * <p>It keeps the last {@value #WINDOW} gaps between heartbeats, seeded with one gap of the
 * heartbeat interval. With {@code mean} the average gap weighted 1..n (recent gaps count more), in
 * seconds, less the interval, plus one, and {@code t} the time since the last heartbeat less the
 * interval plus one (so both are "seconds late, plus one"), {@code phi = t / (mean · ln 10)}. A
 * server is detached when phi passes the threshold or no heartbeat came for the hard timeout;
 * detaching empties the window. A detached server is back once the window holds more than {@code
 * recoverWait / interval} samples again and the latest came from a heartbeat probe, not only from
 * data: heartbeats must have succeeded for about {@code recoverWait}. While detached, a silence
 * longer than the hard timeout empties the window again.
 *
 * <p>With the defaults (interval 1 s, threshold 16, hard timeout 60 s) a server that falls silent
 * after regular heartbeats is detached about 37 s later: {@code t / ln 10 > 16} at {@code t ≈
 * 36.8}. The "+ 1 s" makes the detection time depend little on the interval; a lower threshold
 * detects sooner.
 *
 * <p>Not thread safe: one thread (the heartbeat thread) feeds and checks it.
 *
 * <pre>{@code
 * PhiAccrualDetector d = new PhiAccrualDetector(SECOND, 16, 60 * SECOND, 10 * SECOND, now);
 * d.heartbeat(now + SECOND, true);
 * boolean detached = d.check(now + 40 * SECOND); // true: 39 s of silence
 * }</pre>
 */
final class PhiAccrualDetector {

  /** Gaps kept, as Fluentd keeps them. */
  static final int WINDOW = 1000;

  private static final double LN_10 = Math.log(10.0);
  private static final double NANOS_PER_SECOND = 1e9;
  private static final double MIN_MEAN = 1e-3;

  private final long intervalNanos;
  private final double threshold;
  private final long hardTimeoutNanos;
  private final double recoverSamples;
  /** Gaps in nanoseconds, a ring: the oldest at {@code head}, {@code size} of them. */
  private final long[] gaps = new long[WINDOW];
  private int head;
  private int size;
  private long last;
  private boolean available = true;

  /**
   * A detector for a server taken to be available, as if a heartbeat had come at {@code
   * startNanos}.
   */
  PhiAccrualDetector(long intervalNanos, double threshold, long hardTimeoutNanos, long recoverWaitNanos,
      long startNanos) {
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("interval must be > 0, was " + intervalNanos + " ns");
    }
    this.intervalNanos = intervalNanos;
    this.threshold = threshold;
    this.hardTimeoutNanos = hardTimeoutNanos;
    this.recoverSamples = (double) recoverWaitNanos / intervalNanos;
    add(intervalNanos);
    this.last = startNanos;
  }

  /** Whether the server may take traffic: not detached, or recovered since. */
  boolean available() {
    return available;
  }

  /** Samples in the window now. */
  int samples() {
    return size;
  }

  /** When the last heartbeat came; meaningless while the window is empty. */
  long lastHeartbeatNanos() {
    return last;
  }

  /**
   * Records a sign of life at {@code nowNanos}: a heartbeat answered ({@code probe} true) or an
   * ack ({@code probe} false). Returns true when it brings a detached server back, which only a
   * probe does.
   */
  boolean heartbeat(long nowNanos, boolean probe) {
    if (size == 0) {
      add(intervalNanos);
    } else {
      add(Math.max(0, nowNanos - last));
    }
    last = nowNanos;
    if (probe && !available && size > recoverSamples) {
      available = true;
      return true;
    }
    return false;
  }

  /** Phi at {@code nowNanos}; 0 with an empty window. */
  double phi(long nowNanos) {
    if (size == 0) {
      return 0.0;
    }
    double weighted = 0;
    long weights = 0;
    for (int i = 0; i < size; i++) {
      weighted += (double) gaps[(head + i) % WINDOW] * (i + 1);
      weights += i + 1;
    }
    double interval = intervalNanos / NANOS_PER_SECOND;
    // gaps shorter than the interval by more than a second would make it zero or negative
    double mean = Math.max(MIN_MEAN, weighted / weights / NANOS_PER_SECOND - interval + 1);
    double t = (nowNanos - last) / NANOS_PER_SECOND - interval + 1;
    return t / (mean * LN_10);
  }

  /**
   * Looks at the server at {@code nowNanos}; returns true when it detaches it (phi over the
   * threshold, or no heartbeat for the hard timeout).
   */
  boolean check(long nowNanos) {
    if (!available) {
      if (size > 0 && nowNanos - last > hardTimeoutNanos) {
        clear();
      }
      return false;
    }
    if (nowNanos - last > hardTimeoutNanos || phi(nowNanos) > threshold) {
      available = false;
      clear();
      return true;
    }
    return false;
  }

  private void add(long gap) {
    if (size == WINDOW) {
      gaps[head] = gap;
      head = (head + 1) % WINDOW;
    } else {
      gaps[(head + size) % WINDOW] = gap;
      size++;
    }
  }

  private void clear() {
    head = 0;
    size = 0;
  }
}
