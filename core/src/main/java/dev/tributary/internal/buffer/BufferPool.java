package dev.tributary.internal.buffer;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one byte budget of an instance: pages that hold encoded events, in power-of-two sizes from
 * {@link #minPageSize()} to {@link #pageSize()}, recycled by size after delivery so the steady
 * state allocates nothing.
 *
 * <p>Free pages are handed out in the order they came back, the one released longest ago first.
 * A page comes back once its chunk was sent, and sending read it on the sending thread's core
 * (the kernel copies it into the socket); the page released last still has its lines in that
 * core's cache, and an appender writing into it waits for each line to be taken back, under the
 * stripe's lock, event after event. One thread emitting to a server that keeps reading, 1 MiB
 * chunks (the peers' emit measure, {@code PeerEmitBenchmark.emit1Thread -p server=reading}, a JVM
 * per fork, the two orders alternating): the API 2.71–3.53 M events/s over 14 forks (median 3.2)
 * handing out the page released last, a fifth of the calling thread's samples on the lock's
 * release, and 3.72–4.95 M over 12 (median 4.4) in this order, the release at 8 %; the logback
 * appender 2.48–2.79 M against 3.15–4.04 M (three forks each). With the whole 64 MiB budget made
 * into free pages at the start, so that this order cycles through memory long out of every cache:
 * 2.83–3.33 M last-released-first against 3.99–4.88 M this way (three forks each).
 *
 * <p>A chunk's first pages are small and later ones larger ({@link #pageSize(int)}), so that a tag
 * with one event open holds one small page, not a full one: many open tags must not pin the
 * budget.
 *
 * <p>Thread safe. Bytes held by chunks (open, sealed and in flight) and by the free lists together
 * never exceed {@link #totalBytes()}. When the budget has no room for a page of one size, a free
 * page of half or twice the size is taken instead; only when there is none are free pages of other
 * sizes dropped to the garbage collector and the bytes made anew in the size wanted, so a change
 * of the size mix never strands memory, and a size that runs short for a moment does not make
 * garbage. Callers that find no page either give up or wait with a bound ({@link #awaitPages});
 * the lock is never held while waiting for anything but the condition, nor while a new page is
 * made. {@link #close()} only ends waits; the pages are plain arrays that go with the pool.
 *
 * <pre>{@code
 * BufferPool pool = new BufferPool(64L << 20, 32 * 1024);
 * byte[] first = pool.tryAllocate(pool.pageSize(0));   // null when the budget is spent
 * pool.release(new byte[][] {first}, 0, 1);
 * }</pre>
 */
public final class BufferPool {

  /**
   * The smallest page: the first two pages of every chunk. Two typical log events fit in one; a tag
   * with one event open holds no more, and the pages that idle tags gave back stay small.
   */
  public static final int MIN_PAGE_SIZE = 512;

  private final long totalBytes;
  private final int minPageSize;
  private final int pageSize;
  private final int minShift;
  private final int lastClass;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  /** Free pages by size class: class {@code c} holds pages of {@code minPageSize << c} bytes. */
  private final ArrayDeque<byte[]>[] free;
  private long freeBytes;
  private long unallocated;
  private long inUse;
  /** Set when a bounded wait ran out; cleared when pages come back. Read without the lock. */
  private volatile boolean exhausted;
  /** Set at close: waiters return at once. */
  private boolean closed;

  /** Pages from {@link #MIN_PAGE_SIZE} (or {@code pageSize} if smaller) up to {@code pageSize}. */
  public BufferPool(long totalBytes, int pageSize) {
    this(totalBytes, Math.min(MIN_PAGE_SIZE, pageSize), pageSize);
  }

  @SuppressWarnings("unchecked")
  public BufferPool(long totalBytes, int minPageSize, int pageSize) {
    if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
      throw new IllegalArgumentException("page size must be a power of two, was " + pageSize);
    }
    if (minPageSize <= 0 || Integer.bitCount(minPageSize) != 1 || minPageSize > pageSize) {
      throw new IllegalArgumentException("smallest page size must be a power of two <= " + pageSize
          + ", was " + minPageSize);
    }
    if (totalBytes < pageSize) {
      throw new IllegalArgumentException("budget " + totalBytes + " must hold at least one page of " + pageSize);
    }
    this.totalBytes = totalBytes;
    this.minPageSize = minPageSize;
    this.pageSize = pageSize;
    this.minShift = Integer.numberOfTrailingZeros(minPageSize);
    this.lastClass = Integer.numberOfTrailingZeros(pageSize) - minShift;
    this.free = new ArrayDeque[lastClass + 1];
    for (int c = 0; c <= lastClass; c++) {
      free[c] = new ArrayDeque<>();
    }
    this.unallocated = totalBytes;
  }

  /** The largest page. */
  public int pageSize() {
    return pageSize;
  }

  public int minPageSize() {
    return minPageSize;
  }

  /**
   * The size of a chunk's page number {@code index}: two of the smallest first, then two of each
   * next size up to {@link #pageSize()} (512 B, 512 B, 1 KiB, 1 KiB, 2 KiB ...). A chunk's capacity thus grows
   * with what it holds, leaving at most about a third of it unused while small and less than one
   * page when large: with many tags the budget is shared by many small chunks, and what they leave
   * unused is what makes the requests smaller.
   */
  public int pageSize(int index) {
    int c = index >>> 1;
    return c >= lastClass ? pageSize : minPageSize << c;
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

  /** Bytes of free pages kept for reuse (tests). */
  long freeBytes() {
    lock.lock();
    try {
      return freeBytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a page of {@code size} bytes (one of the sizes {@link #pageSize(int)} gives), or returns
   * null if the budget has no room for it. With the whole budget made into pages, a free page of
   * half or twice that size may come instead: callers go by the length of what they get.
   */
  public byte[] tryAllocate(int size) {
    int c = classOf(size);
    byte[] page;
    lock.lock();
    try {
      page = free[c].pollFirst();
      if (page == null && unallocated < size) {
        page = neighbour(c);
      }
      if (page != null) {
        freeBytes -= page.length;
        inUse += page.length;
        return page;
      }
      if (unallocated < size) {
        if (unallocated + freeBytes < size) {
          return null;
        }
        dropFreePages(size);
      }
      unallocated -= size;
      inUse += size;
    } finally {
      lock.unlock();
    }
    // a new page is made after the lock is released: the budget is already reserved for it
    return new byte[size];
  }

  /**
   * With the budget all made into pages, a free page of half or twice the size wanted, so that a
   * size class that has run empty for a moment does not make the pool drop pages of other sizes and
   * make new ones: with thousands of tags the mix of sizes the chunks ask for changes all the time.
   * The smaller one is taken first: it pins no more of the budget than was asked for.
   */
  private byte[] neighbour(int c) {
    byte[] page = c > 0 ? free[c - 1].pollFirst() : null;
    return page != null || c == lastClass ? page : free[c + 1].pollFirst();
  }

  /** Gives free pages of other sizes to the garbage collector until {@code size} bytes are unallocated. */
  private void dropFreePages(int size) {
    for (int c = lastClass; c >= 0 && unallocated < size; c--) {
      ArrayDeque<byte[]> list = free[c];
      while (unallocated < size && !list.isEmpty()) {
        int n = list.pollFirst().length;
        freeBytes -= n;
        unallocated += n;
      }
    }
  }

  private int classOf(int size) {
    int c = Integer.numberOfTrailingZeros(size) - minShift;
    if (c < 0 || c > lastClass || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("not a page size of this pool: " + size);
    }
    return c;
  }

  /**
   * Returns the pages {@code pages[from..from+count)} to the pool, sets those slots to null and
   * wakes waiters.
   */
  public void release(byte[][] pages, int from, int count) {
    if (count == 0) {
      return;
    }
    lock.lock();
    try {
      for (int i = from; i < from + count; i++) {
        byte[] p = pages[i];
        if (closed) {
          unallocated += p.length; // nothing will be appended again: let the memory go
        } else {
          free[classOf(p.length)].addLast(p); // handed out after the pages that came back before it
          freeBytes += p.length;
        }
        inUse -= p.length;
        pages[i] = null;
      }
      exhausted = false;
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code n} of the largest pages could be allocated or the timeout passes. A wait
   * that runs out marks the pool exhausted until pages are released, so that later callers do not
   * each wait the full bound while nothing is being freed.
   *
   * @return true if the room was there when it returned
   */
  public boolean awaitPages(int n, long timeoutNanos) throws InterruptedException {
    long bytes = (long) n * pageSize;
    if (bytes > totalBytes) {
      return false;
    }
    lock.lock();
    try {
      long remaining = timeoutNanos;
      while (freeBytes + unallocated < bytes) {
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
      // the pages kept for reuse go to the garbage collector, so a closed instance that is still
      // referenced somewhere does not hold the memory it grew to
      for (ArrayDeque<byte[]> list : free) {
        list.clear();
      }
      unallocated += freeBytes;
      freeBytes = 0;
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

}
