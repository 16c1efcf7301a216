package dev.tributary.internal.flush;

import java.util.SplittableRandom;

/**
 * Exponential backoff with jitter: {@code initial * 2^(failures-1)}, capped at {@code max}, then
 * multiplied by a random factor in [1 - jitter, 1 + jitter] so that many clients restarted
 * together do not reconnect in lockstep. Flusher thread only.
 */
public final class Backoff {

  private final long initialNanos;
  private final long maxNanos;
  private final double jitter;
  private final SplittableRandom random;
  private int failures;

  public Backoff(long initialNanos, long maxNanos, double jitter, SplittableRandom random) {
    this.initialNanos = initialNanos;
    this.maxNanos = maxNanos;
    this.jitter = jitter;
    this.random = random;
  }

  /** Records one more consecutive failure; returns how long to wait before the next attempt. */
  public long nextDelayNanos() {
    failures++;
    double base = initialNanos * Math.pow(2, Math.min(failures - 1, 62));
    double capped = Math.min(base, (double) maxNanos);
    double factor = 1 + jitter * (2 * random.nextDouble() - 1);
    return (long) (capped * factor);
  }

  /** A success: the next failure starts again from the initial delay. */
  public void reset() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
