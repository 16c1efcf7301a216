package dev.tributary;

/** Why events that were accepted into the buffer were not delivered. */
public enum FailureReason {
  /** Their chunk ran out of retries ({@code retryMaxAttempts} or {@code retryTimeout}). */
  RETRIES_EXHAUSTED,
  /** {@code close()} reached its deadline before they were delivered. */
  UNDELIVERED_AT_CLOSE
}
