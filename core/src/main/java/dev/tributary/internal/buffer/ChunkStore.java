package dev.tributary.internal.buffer;

import dev.tributary.TributaryListener;
import java.io.IOException;

/**
 * Where chunks keep their bytes: {@link MemoryChunkStore} (pages of the heap byte budget) or
 * {@link FileChunkStore} (one memory-mapped file per chunk, durable across a kill of the process).
 * The store makes chunks, holds the budget they are counted against, and does what the chunks'
 * storage needs between seal and send; appending, reading and freeing are the chunk's own
 * ({@link Chunk#append}, {@link Chunk#writeTo}, {@link Chunk#free}), so the hot path does not go
 * through this interface. Delivery state (attempts, deadline, id) stays on the chunk.
 *
 * <p>Thread safe: {@link #open} is called by application threads under a stripe lock, the rest by
 * the flusher thread unless said otherwise. {@link #close()} ends the store.
 *
 * <pre>{@code
 * ChunkStore store = new MemoryChunkStore(new BufferPool(64L << 20, 32 * 1024));
 * Chunk c = store.open("app", System.nanoTime());   // null when the budget is spent
 * }</pre>
 */
public interface ChunkStore {

  /**
   * A new, empty chunk for {@code tag}, or null when the budget has no room for one.
   *
   * @throws IOException when the storage failed (a disk full when a chunk file was made)
   */
  Chunk open(String tag, long nowNanos) throws IOException;

  /** Called when the accumulator seals {@code c} (any thread, under the stripe lock). */
  default void sealed(Chunk c) {}

  /** Makes a sealed chunk as durable as configured before it is sent. Flusher thread. */
  default void beforeSend(Chunk c) {}

  /** Background work of each flusher step; reports to {@code listener}. Flusher thread. */
  default void maintain(long nowNanos, TributaryListener listener) {}

  /** Counts a storage failure of an application thread, reported later by {@link #maintain}. */
  default void storageFailed(IOException e) {}

  /** Whether chunks left at close stay stored for the next start ({@link #keep}). */
  default boolean durable() {
    return false;
  }

  /** At close: leaves {@code c} stored for the next start and lets go of its memory. Flusher thread. */
  default void keep(Chunk c) {
    throw new UnsupportedOperationException("this store keeps nothing across a restart");
  }

  /** The budget's size in bytes. */
  long totalBytes();

  /** Bytes of the budget held now. */
  long usedBytes();

  /** The option that sets the budget, for error messages. */
  String budgetOption();

  /** True after a bounded wait for room ran out, until room came back. */
  boolean exhausted();

  /** Waits until an event of {@code bytes} bytes could be stored, or the timeout passes. */
  boolean awaitRoom(int bytes, long timeoutNanos) throws InterruptedException;

  /** Ends every wait for room, now and later (close). */
  void endWaits();

  /** Lets go of what the store holds beyond the chunks (locks, spare files). After the flusher stopped. */
  default void close() {}
}
