package dev.tributary.testkit;

import java.util.function.LongSupplier;

/**
 * Paces bytes to a rate, for {@link FaultProxy#throttle(long)}: a grant is a piece of at most 50 ms
 * worth of bytes, and the next grant comes only once the link has had time to send it. So, from
 * the first grant on, the bytes granted by time {@code t} never exceed {@code rate * t} plus one
 * piece, and idle time is not saved up into a burst.
 *
 * <p>Time comes from an injected monotonic clock (nanoseconds), so tests step it by hand. Thread
 * safe: all pumps of a proxy share one throttle, as they would share one slow link. Owns nothing.
 */
final class Throttle {
  /** No limit: every grant is as large as asked. */
  static final long UNLIMITED = Long.MAX_VALUE;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** A piece is this fraction of a second's worth of bytes: small enough to pace smoothly. */
  private static final long PIECES_PER_SECOND = 20;

  private final LongSupplier clock;
  private long bytesPerSecond = UNLIMITED; // guarded by this
  private long freeAtNanos; // guarded by this; when the bytes granted so far have been sent

  Throttle(LongSupplier clock) {
    this.clock = clock;
  }

  /** Sets the rate, {@link #UNLIMITED} for none; pacing starts afresh from now. */
  synchronized void rate(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    this.freeAtNanos = clock.getAsLong();
  }

  synchronized long rate() {
    return bytesPerSecond;
  }

  /** The most bytes one grant may give: {@code wanted}, or one piece while limited. */
  synchronized int maxPiece(int wanted) {
    if (bytesPerSecond == UNLIMITED) {
      return wanted;
    }
    return (int) Math.min(wanted, Math.max(1, bytesPerSecond / PIECES_PER_SECOND));
  }

  /**
   * Grants up to {@code wanted} bytes now.
   *
   * @return how many bytes may go now (at least one when {@code wanted > 0}), or 0 when the
   *     caller must wait {@link #nanosUntilFree()} first
   */
  synchronized int tryAcquire(int wanted) {
    if (bytesPerSecond == UNLIMITED || wanted == 0) {
      return wanted;
    }
    long now = clock.getAsLong();
    if (freeAtNanos - now > 0) {
      return 0;
    }
    int granted = maxPiece(wanted);
    // Rounded up, so that pacing never runs ahead of the rate.
    freeAtNanos = now + (granted * NANOS_PER_SECOND + bytesPerSecond - 1) / bytesPerSecond;
    return granted;
  }

  /** How long until the next grant is possible; 0 when it is possible now. */
  synchronized long nanosUntilFree() {
    if (bytesPerSecond == UNLIMITED) {
      return 0;
    }
    return Math.max(0, freeAtNanos - clock.getAsLong());
  }
}
