package dev.tributary.internal.buffer;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * One open chunk of a tag and its lock, a non-reentrant mutex that guards the fields; see {@link
 * TagBuffer}. A lock is held only for a copy; waiting threads park.
 */
@SuppressWarnings("serial")
class Stripe extends AbstractQueuedSynchronizer {
  /** The open chunk: null, or holding at least one record. */
  Chunk open;
  /** A chunk was opened here since the flusher last looked. */
  boolean opened;
  /** Appends that found the lock held, since the flusher last reset the count. */
  int contended;
  /**
   * Set (under the lock) when a chunk opens here and the stripe is not yet among those the flusher
   * watches for deadlines; cleared by the flusher when it finds no chunk open.
   */
  boolean armed;
  /** Link in the stack of newly armed stripes. */
  Stripe nextArmed;
  /** The creation time the flusher's deadline heap orders this stripe by; no later than its open chunk's. */
  long dueKey;

  @Override
  protected final boolean tryAcquire(int ignored) {
    return compareAndSetState(0, 1);
  }

  @Override
  protected final boolean tryRelease(int ignored) {
    setState(0);
    return true;
  }

  final boolean tryLock() {
    return compareAndSetState(0, 1);
  }

  final void lock() {
    acquire(1);
  }

  final void unlock() {
    release(1);
  }
}
