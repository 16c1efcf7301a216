package dev.tributary.internal.buffer;

/**
 * The heap store: chunks of pages from one {@link BufferPool}, lost with the process. Thread safe
 * as the pool is; closing it only ends waits.
 *
 * <pre>{@code
 * ChunkStore store = new MemoryChunkStore(new BufferPool(64L << 20, 32 * 1024));
 * }</pre>
 */
public final class MemoryChunkStore implements ChunkStore {

  private final BufferPool pool;

  public MemoryChunkStore(BufferPool pool) {
    this.pool = pool;
  }

  public BufferPool pool() {
    return pool;
  }

  @Override
  public Chunk open(String tag, long nowNanos) {
    // no page yet: the first append takes them, and fails when the pool has none
    return new Chunk(tag, pool, nowNanos);
  }

  @Override
  public long totalBytes() {
    return pool.totalBytes();
  }

  @Override
  public long usedBytes() {
    return pool.usedBytes();
  }

  @Override
  public String budgetOption() {
    return "bufferMaxBytes";
  }

  @Override
  public boolean exhausted() {
    return pool.exhausted();
  }

  @Override
  public boolean awaitRoom(int bytes, long timeoutNanos) throws InterruptedException {
    return pool.awaitPages(1 + bytes / pool.pageSize(), timeoutNanos);
  }

  @Override
  public void endWaits() {
    pool.close();
  }
}
