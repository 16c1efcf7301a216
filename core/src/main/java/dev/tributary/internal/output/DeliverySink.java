package dev.tributary.internal.output;

import dev.tributary.internal.buffer.Chunk;

/** How an {@link Output} reports progress back to the flusher. Thread safe. */
public interface DeliverySink {

  /**
   * The chunk is delivered (acked, or written when acks are off); its memory may be freed. This
   * does not wake the flusher: an output that reports from a thread of its own calls {@link
   * #wake()} afterwards, once for all the chunks it reported together.
   */
  void delivered(Chunk chunk);

  /** Something changed that the flusher should look at: a window opened, a connection broke. */
  void wake();
}
