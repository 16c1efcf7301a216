package dev.tributary;

/**
 * What {@code emit} does when the byte budget ({@code bufferMaxBytes}) is full.
 *
 * <p>Every event an overflow costs is counted in {@link TributaryMetrics#dropped()} under
 * {@link DropReason#BUFFER_FULL} (or {@link DropReason#EVICTED} for {@link #DROP_OLDEST}).
 */
public enum OverflowPolicy {
  /**
   * Wait up to {@code maxBlock} for memory, then drop the event. After one wait has run out, later
   * callers drop at once until memory is released, so a dead aggregator costs each request thread
   * at most one bounded wait, not one per log call. The default: back-pressure for a slow
   * aggregator, a hard bound for a dead one, never an exception.
   */
  BLOCK,
  /** Drop the new event at once. Never waits. */
  DROP_NEWEST,
  /**
   * Drop the oldest sealed chunk that has not been sent yet, to make room for the newest events;
   * drops the new event when there is none. Never waits.
   */
  DROP_OLDEST,
  /**
   * Throw {@link BufferFullException} from {@code emit}. For the programmatic API only: the
   * logging adapters never throw into the application and reject this policy.
   */
  THROW
}
