package dev.tributary.internal.buffer;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The open chunks of one tag, one per stripe. A tag starts with one stripe and gets more (up to a
 * limit) only when threads contend on it. A thread always appends to the same stripe for a given
 * width, so its events stay in order within the tag while threads on different stripes do not
 * contend for one lock; when the stripes widen, every open chunk is sealed first, so a thread that
 * moves to another stripe cannot overtake its own earlier events.
 *
 * <p>Appends and seals take a stripe's lock for a copy's length; no I/O and no waiting happen
 * under it. Whoever needs several stripes locks them in index order ({@link #lockAll}). A tag
 * buffer the flusher found idle is {@linkplain #removed removed} from the accumulator under all its
 * locks, so an appender that looked it up just before checks the flag under its stripe's lock and
 * looks the tag up again.
 */
final class TagBuffer {

  /** One stripe: its lock guards its fields. */
  @SuppressWarnings("serial")
  static final class Stripe extends ReentrantLock {
    /** The open chunk: null, or holding at least one record. */
    Chunk open;
    /** A chunk was opened here since the flusher last looked. */
    boolean opened;
    /** Appends that found the lock held, since the flusher last reset the count. */
    int contended;
  }

  final String tag;
  /** How many bytes of entries a chunk of this tag may hold: the request must fit around them. */
  final int maxChunkBytes;
  /** Replaced (never changed in place) under the locks of all current stripes. */
  volatile Stripe[] stripes = {new Stripe()};
  /** Set under all stripe locks when the tag is taken out of the accumulator; never cleared. */
  boolean removed;
  /** When the flusher last saw the tag in use; the flusher's alone, as is the next one. */
  long lastUsedNanos;
  /** When the flusher last reset the stripes' contention counts. */
  long contentionSinceNanos;

  TagBuffer(String tag, int maxChunkBytes, long nowNanos) {
    this.tag = tag;
    this.maxChunkBytes = maxChunkBytes;
    this.lastUsedNanos = nowNanos;
    this.contentionSinceNanos = nowNanos;
  }

  static void lockAll(Stripe[] s) {
    for (Stripe st : s) {
      st.lock();
    }
  }

  static void unlockAll(Stripe[] s) {
    for (int i = s.length - 1; i >= 0; i--) {
      s[i].unlock();
    }
  }
}
