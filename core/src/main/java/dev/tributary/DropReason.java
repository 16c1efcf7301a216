package dev.tributary;

/** Why an event was dropped before it reached a buffer, or was evicted from one. */
public enum DropReason {
  /** The byte budget was full and the overflow policy dropped the new event. */
  BUFFER_FULL,
  /** The overflow policy {@link OverflowPolicy#DROP_OLDEST} evicted it to make room. */
  EVICTED,
  /**
   * Its encoded size was larger than {@code maxEventBytes}, or than a chunk or a request may be.
   * Encoding stops as soon as the event passes the limit.
   */
  TOO_LARGE,
  /** Its record could not be encoded (for example a map changed while it was read). */
  INVALID,
  /** It was emitted after {@code close()} began. */
  CLOSED,
  /**
   * No route took its tag ({@code match(pattern, outputs...)} of the builder): like an event no
   * {@code <match>} of Fluentd takes. Only with routes of your own; the default route takes every tag.
   */
  UNMATCHED,
  /**
   * A {@link Filter} decided to drop it (a {@code grep} that excludes it, a {@code sample} that
   * leaves it out): intended, so not part of the loss summaries the listener gets.
   */
  FILTERED,
  /** A {@link Filter} threw and its {@link Filter#onError()} is {@link Filter.OnError#DROP}. */
  FILTER_ERROR,
  /** A rate-limiting filter ({@code throttle}) dropped it: the tag was over its rate. Summarised. */
  THROTTLED,
  /**
   * The file buffer ({@code bufferPath}) could not store it: the disk is full or failed when a
   * chunk file was made. The listener is told ({@link TributaryListener#onStorageError}); what is
   * already on disk is kept.
   */
  STORAGE_ERROR
}
