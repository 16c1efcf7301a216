package dev.tributary.logging;

import dev.tributary.DropReason;
import dev.tributary.FailureReason;
import dev.tributary.TributaryListener;
import java.time.Duration;
import java.util.Map;

/**
 * Turns Tributary's background reports into {@link Diagnostics} calls, at most one per kind per
 * {@code reportInterval} (summaries are already that rare), so the framework's status channel
 * sees a dead aggregator as a line every so often. Thread safe.
 */
public final class DiagnosticsListener implements TributaryListener {

  private final String name;
  private final Diagnostics out;
  private final ReportLimiter connections;
  private final ReportLimiter chunks;

  public DiagnosticsListener(String name, Diagnostics out, Duration reportInterval) {
    this.name = name;
    this.out = out;
    this.connections = new ReportLimiter(reportInterval.toNanos());
    this.chunks = new ReportLimiter(reportInterval.toNanos());
  }

  @Override
  public void onSummary(Map<DropReason, Long> dropped, Map<FailureReason, Long> failed) {
    StringBuilder sb = new StringBuilder("tributary[").append(name).append("]: ");
    if (!dropped.isEmpty()) {
      sb.append(sum(dropped)).append(" events dropped ").append(dropped);
    }
    if (!failed.isEmpty()) {
      sb.append(dropped.isEmpty() ? "" : "; ").append(sum(failed)).append(" events not delivered ").append(failed);
    }
    out.warn(sb.append(" since the last report").toString(), null);
  }

  @Override
  public void onConnectionFailure(String server, Throwable cause) {
    long suppressed = connections.tryReport(System.nanoTime());
    if (suppressed >= 0) {
      out.warn("tributary[" + name + "]: connection to " + server + " failed: " + cause
          + "; retrying with backoff" + ReportLimiter.more(suppressed), null);
    }
  }

  @Override
  public void onChunkFailed(String tag, int events, FailureReason reason, Throwable cause) {
    long suppressed = chunks.tryReport(System.nanoTime());
    if (suppressed >= 0) {
      out.error("tributary[" + name + "]: gave up on " + events + " events for tag " + tag + " (" + reason
          + ")" + ReportLimiter.more(suppressed), cause);
    }
  }

  private static long sum(Map<?, Long> counts) {
    long n = 0;
    for (Long v : counts.values()) {
      n += v;
    }
    return n;
  }
}
