package dev.tributary.logging;

/**
 * Lets one report through per interval and counts the rest, so a dead aggregator or a stream of
 * bad events yields a line every so often, not a flood. Thread safe.
 */
final class ReportLimiter {

  private final long intervalNanos;
  private long last;
  private boolean reported;
  private long suppressed;

  ReportLimiter(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** -1 when this report is to be suppressed; otherwise how many were suppressed since the last one. */
  synchronized long tryReport(long nowNanos) {
    if (reported && nowNanos - last < intervalNanos) {
      suppressed++;
      return -1;
    }
    reported = true;
    last = nowNanos;
    long s = suppressed;
    suppressed = 0;
    return s;
  }

  static String more(long suppressed) {
    return suppressed > 0 ? " (" + suppressed + " similar reports suppressed)" : "";
  }
}
