package dev.tributary.internal.report;

import dev.tributary.DropReason;
import dev.tributary.FailureReason;
import dev.tributary.TributaryListener;
import java.io.PrintStream;
import java.util.Map;

/**
 * The default listener: one line per summary to standard error, and connection failures at most
 * once per interval, so a dead aggregator yields a line every so often, not a flood. It writes to
 * the stream directly, never through a logging framework that might route back into Tributary.
 */
public final class StderrListener implements TributaryListener {

  private final String name;
  private final long intervalNanos;
  private final PrintStream err;
  private long lastConnectionReport = Long.MIN_VALUE;
  private long suppressed;

  public StderrListener(String name, long intervalNanos, PrintStream err) {
    this.name = name;
    this.intervalNanos = intervalNanos;
    this.err = err;
  }

  @Override
  public void onSummary(Map<DropReason, Long> dropped, Map<FailureReason, Long> failed) {
    err.println(summary(name, dropped, failed) + " since the last report; metrics() has the totals");
  }

  /**
   * One line for a loss summary: {@code tributary[name]: 1 event dropped {BUFFER_FULL=1}; 2 events
   * not delivered {RETRIES_EXHAUSTED=2}}. Shared with the logging adapters' reports.
   */
  public static String summary(String name, Map<DropReason, Long> dropped, Map<FailureReason, Long> failed) {
    StringBuilder sb = new StringBuilder("tributary[").append(name).append("]: ");
    if (!dropped.isEmpty()) {
      sb.append(events(sum(dropped))).append(" dropped ").append(dropped);
    }
    if (!failed.isEmpty()) {
      if (!dropped.isEmpty()) {
        sb.append("; ");
      }
      sb.append(events(sum(failed))).append(" not delivered ").append(failed);
    }
    return sb.toString();
  }

  /** {@code "1 event"}, {@code "2 events"}. */
  public static String events(long n) {
    return n == 1 ? "1 event" : n + " events";
  }

  private static long sum(Map<?, Long> counts) {
    long n = 0;
    for (Long v : counts.values()) {
      n += v;
    }
    return n;
  }

  @Override
  public synchronized void onConnectionFailure(String server, Throwable cause) {
    long now = System.nanoTime();
    if (lastConnectionReport != Long.MIN_VALUE && now - lastConnectionReport < intervalNanos) {
      suppressed++;
      return;
    }
    lastConnectionReport = now;
    String more = suppressed > 0 ? " (" + suppressed + " similar failures not shown)" : "";
    suppressed = 0;
    err.println("tributary[" + name + "]: connection to " + server + " failed: " + cause + more
        + "; retrying with backoff");
  }

  @Override
  public void onFilterErrors(String filter, long errors, dev.tributary.Filter.OnError onError, Throwable last) {
    err.println(filterErrors(name, filter, errors, onError, last) + " since the last report");
  }

  /** One line for a filter's errors; shared with the logging adapters' reports. */
  public static String filterErrors(String name, String filter, long errors, dev.tributary.Filter.OnError onError,
      Throwable last) {
    return "tributary[" + name + "]: filter " + filter + " threw " + (errors == 1 ? "once" : errors + " times")
        + " (events " + (onError == dev.tributary.Filter.OnError.DROP ? "dropped" : "kept") + "), last: " + last;
  }

  @Override
  public void onWarning(String message) {
    err.println("tributary[" + name + "]: " + message);
  }

  @Override
  public void onChunkQuarantined(String file, long bytes, String reason) {
    err.println("tributary[" + name + "]: chunk file " + file + " (" + bytes + " bytes) could not be read ("
        + reason + "); moved to quarantine, not deleted");
  }

  @Override
  public void onStorageError(String message, Throwable cause) {
    err.println("tributary[" + name + "]: " + message + (cause != null ? ": " + cause : ""));
  }

  @Override
  public void onChunkFailed(String tag, int events, FailureReason reason, Throwable cause) {
    // counted and reported in the next summary
  }
}
