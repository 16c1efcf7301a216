package dev.tributary.internal.buffer;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sealed chunks waiting to be sent, oldest first.
 *
 * <p>Thread safe. Producers are application threads (a chunk seals when full) and the flusher
 * (linger, flush, retries put back at the head in their original order). The flusher is the only
 * consumer; {@link #await} is how it sleeps until there is work or a deadline.
 */
public final class ChunkQueue {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private boolean wakeup;

  public void add(Chunk c) {
    lock.lock();
    try {
      chunks.addLast(c);
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Removes every chunk (close). */
  public java.util.List<Chunk> drain() {
    lock.lock();
    try {
      java.util.List<Chunk> l = new java.util.ArrayList<>(chunks);
      chunks.clear();
      return l;
    } finally {
      lock.unlock();
    }
  }

  /** Puts chunks back at the head, keeping their order (retries go before anything newer). */
  public void addFirst(List<Chunk> cs) {
    if (cs.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      for (int i = cs.size() - 1; i >= 0; i--) {
        Chunk c = cs.get(i);
        chunks.addFirst(c);
      }
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  public Chunk poll() {
    lock.lock();
    try {
      Chunk c = chunks.pollFirst();
      if (c != null) {
      }
      return c;
    } finally {
      lock.unlock();
    }
  }

  public Chunk peek() {
    lock.lock();
    try {
      return chunks.peekFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Removes the oldest chunk that has never been written, or returns null (drop-oldest policy). */
  public Chunk evictOldest() {
    lock.lock();
    try {
      for (var it = chunks.iterator(); it.hasNext(); ) {
        Chunk c = it.next();
        if (!c.written()) {
          it.remove();
          return c;
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  public boolean isEmpty() {
    lock.lock();
    try {
      return chunks.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to {@code nanos} for a {@link #wakeup()}, or also for a chunk if {@code orChunk};
   * returns at once if what it waits for is already there.
   */
  public void await(long nanos, boolean orChunk) throws InterruptedException {
    lock.lock();
    try {
      long remaining = nanos;
      while ((!orChunk || chunks.isEmpty()) && !wakeup && remaining > 0) {
        remaining = changed.awaitNanos(remaining);
      }
      wakeup = false;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the flusher's current {@link #await} (flush, close, acks that opened the window). */
  public void wakeup() {
    lock.lock();
    try {
      wakeup = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

}
