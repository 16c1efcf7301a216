package dev.tributary.logging;

import dev.tributary.DropReason;
import dev.tributary.FailureReason;
import dev.tributary.TributaryListener;
import dev.tributary.internal.report.StderrListener;
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
    out.warn(StderrListener.summary(name, dropped, failed) + " since the last report", null);
  }

  @Override
  public void onFilterErrors(String filter, long errors, dev.tributary.Filter.OnError onError, Throwable last) {
    out.warn(StderrListener.filterErrors(name, filter, errors, onError, last) + " since the last report", null);
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
      // the cause as one line: its stack trace (the flusher's) would say nothing more to the reader
      out.error("tributary[" + name + "]: gave up on " + StderrListener.events(events) + " for tag " + tag + " (" + reason
          + (cause != null ? ": " + cause : "") + ")" + ReportLimiter.more(suppressed), null);
    }
  }

  @Override
  public void onChunkQuarantined(String file, long bytes, String reason) {
    out.warn("tributary[" + name + "]: chunk file " + file + " (" + bytes + " bytes) could not be read ("
        + reason + "); moved to quarantine, not deleted", null);
  }

  @Override
  public void onStorageError(String message, Throwable cause) {
    out.error("tributary[" + name + "]: " + message + (cause != null ? ": " + cause : ""), null);
  }
}
