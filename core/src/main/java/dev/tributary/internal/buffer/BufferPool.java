package dev.tributary.internal.buffer;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one byte budget of an instance: fixed-size pages that hold encoded events, recycled after
 * delivery so the steady state allocates nothing.
 *
 * <p>Thread safe. Memory held by chunks (open, sealed and in flight) and by the free list together
 * never exceeds {@link #totalBytes()}. Callers that find no page either give up or wait with a
 * bound ({@link #awaitPages}); the lock is never held while waiting for anything but the condition.
 */
public final class BufferPool {

  private final long totalBytes;
  private final int pageSize;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private long unallocated;
  private long inUse;
  /** Set when a bounded wait ran out; cleared when pages come back. Read without the lock. */
  private volatile boolean exhausted;
  /** Set at close: waiters return at once. */
  private boolean closed;

  public BufferPool(long totalBytes, int pageSize) {
    if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
      throw new IllegalArgumentException("page size must be a power of two, was " + pageSize);
    }
    if (totalBytes < pageSize) {
      throw new IllegalArgumentException("budget " + totalBytes + " must hold at least one page of " + pageSize);
    }
    this.totalBytes = totalBytes;
    this.pageSize = pageSize;
    this.unallocated = totalBytes;
  }

  public int pageSize() {
    return pageSize;
  }

  public long totalBytes() {
    return totalBytes;
  }

  /** Bytes held by chunks now. */
  public long usedBytes() {
    lock.lock();
    try {
      return inUse;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes {@code n} pages into {@code dst[at..at+n)} if the budget has room for all of them, else
   * takes none.
   */
  public boolean tryAllocate(int n, byte[][] dst, int at) {
    long bytes = (long) n * pageSize;
    int fresh = 0;
    lock.lock();
    try {
      if (free.size() * (long) pageSize + unallocated < bytes) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        byte[] p = free.pollFirst();
        if (p == null) {
          unallocated -= pageSize;
          fresh++;
        }
        dst[at + i] = p;
      }
      inUse += bytes;
    } finally {
      lock.unlock();
    }
    // new pages are made after the lock is released: the budget is already reserved for them
    for (int i = 0; fresh > 0 && i < n; i++) {
      if (dst[at + i] == null) {
        dst[at + i] = new byte[pageSize];
        fresh--;
      }
    }
    return true;
  }

  /** Returns {@code count} pages from {@code pages[0..count)} to the pool and wakes waiters. */
  public void release(byte[][] pages, int count) {
    if (count == 0) {
      return;
    }
    lock.lock();
    try {
      for (int i = 0; i < count; i++) {
        free.addFirst(pages[i]);
        pages[i] = null;
      }
      inUse -= (long) count * pageSize;
      exhausted = false;
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code n} pages could be allocated or the timeout passes. A wait that runs out
   * marks the pool exhausted until pages are released, so that later callers do not each wait the
   * full bound while nothing is being freed.
   *
   * @return true if the pages were available when it returned
   */
  public boolean awaitPages(int n, long timeoutNanos) throws InterruptedException {
    long bytes = (long) n * pageSize;
    if (bytes > totalBytes) {
      return false;
    }
    lock.lock();
    try {
      long remaining = timeoutNanos;
      while (free.size() * (long) pageSize + unallocated < bytes) {
        if (closed) {
          return false;
        }
        if (remaining <= 0) {
          exhausted = true;
          return false;
        }
        remaining = released.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** True after a bounded wait ran out and before any page was released since. */
  public boolean exhausted() {
    return exhausted;
  }

  /** Ends every wait, now and later (close: blocked callers see the closed state at once). */
  public void close() {
    lock.lock();
    try {
      closed = true;
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

}
