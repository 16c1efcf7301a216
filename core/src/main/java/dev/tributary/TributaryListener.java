package dev.tributary;

import java.util.Map;

/**
 * Receives what happens in the background: connection failures, chunks given up on, and periodic
 * summaries of drops. Called on Tributary's own threads (the flusher, and with several outputs each
 * output's flusher, so possibly from two threads at once), never under a lock and never on the
 * application's thread; an exception thrown here is caught and ignored. A summary covers every
 * output and the drops before routing, at most one per {@code reportInterval}. Implementations must
 * not log through a logging framework that routes back into Tributary (the adapters guard against
 * that recursion themselves).
 *
 * <pre>{@code
 * Tributary.builder().listener(new TributaryListener() {
 *   public void onSummary(Map<DropReason, Long> dropped, Map<FailureReason, Long> failed) {
 *     alerts.warn("tributary lost events: " + dropped + " " + failed);
 *   }
 * })
 * }</pre>
 */
public interface TributaryListener {

  /** A listener that ignores everything. */
  TributaryListener NONE = new TributaryListener() {};

  /**
   * Events dropped or failed since the previous summary, at most once per {@code reportInterval}
   * and only when something was lost. Maps hold only non-zero counts.
   */
  default void onSummary(Map<DropReason, Long> droppedSinceLast, Map<FailureReason, Long> failedSinceLast) {}

  /** A connection to {@code server} could not be made or broke; the chunks involved are retried. */
  default void onConnectionFailure(String server, Throwable cause) {}

  /** A chunk of {@code events} events for {@code tag} was given up on. */
  default void onChunkFailed(String tag, int events, FailureReason reason, Throwable cause) {}

  /**
   * A filter threw {@code errors} times since the previous report (at most one call per filter
   * per {@code reportInterval}); {@code last} is the latest exception. Its events were kept or
   * dropped as the filter's {@link Filter#onError()} says; {@code filter} names the filter and
   * its place in the chain ({@code "#2 grep"}).
   */
  default void onFilterErrors(String filter, long errors, Filter.OnError onError, Throwable last) {}

  /** Something the operator should know that is not a failure (an insecure setting, say). */
  default void onWarning(String message) {}

  /**
   * A chunk file found at start could not be read (a truncated or corrupt header, a bad checksum,
   * a file of another format): it was moved to {@code quarantine/} under {@code bufferPath}, never
   * deleted, and counted in {@link TributaryMetrics#quarantinedChunks()}.
   */
  default void onChunkQuarantined(String file, long bytes, String reason) {}

  /**
   * The file buffer could not make or write a chunk file (disk full, an I/O error); the events it
   * cost are counted as {@link DropReason#STORAGE_ERROR}. At most once per {@code reportInterval}.
   */
  default void onStorageError(String message, Throwable cause) {}
}
