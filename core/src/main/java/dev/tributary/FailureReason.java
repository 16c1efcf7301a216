package dev.tributary;

/** Why events that were accepted into the buffer were not delivered. */
public enum FailureReason {
  /** Their chunk ran out of retries ({@code retryMaxAttempts} or {@code retryTimeout}). */
  RETRIES_EXHAUSTED,
  /** {@code close()} reached its deadline before they were delivered. */
  UNDELIVERED_AT_CLOSE,
  /**
   * The server refused the event: sent on its own, it went unacknowledged {@code
   * rejectedAttempts} times (no ack by its deadline, or the connection reset as it was read) while
   * the same server acknowledged other requests. Typically an event over the server's request
   * size limit (Fluentd's {@code chunk_size_limit}, Fluent Bit's {@code buffer_max_size}).
   */
  REJECTED
}
