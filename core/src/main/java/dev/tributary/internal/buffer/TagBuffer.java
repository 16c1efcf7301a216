package dev.tributary.internal.buffer;

/**
 * The open chunks of one tag, one per stripe. A tag starts with one stripe, the tag buffer itself,
 * and gets stripes of its own (two, then more up to a limit) only when threads contend on it. A
 * thread always appends to the same stripe for a given width, so its events stay in order within
 * the tag while threads on different stripes do not contend for one lock; when the stripes widen,
 * every open chunk is sealed first, so a thread that moves to another stripe cannot overtake its
 * own earlier events.
 *
 * <p>Appends and seals take a stripe's lock for a copy's length; no I/O and no waiting happen
 * under it. Whoever needs several stripes locks them in index order ({@link #lockAll}). A tag
 * buffer the flusher found idle is {@linkplain #removed removed} from the accumulator under all its
 * locks, so an appender that looked it up just before checks the flag under its stripe's lock and
 * looks the tag up again.
 *
 * <p>With thousands of tags every append misses the CPU caches on each object it walks through, so
 * the single-stripe case walks as few as possible: the tag buffer is its own first stripe and a
 * stripe is its own lock.
 */
final class TagBuffer extends Stripe {

  final String tag;
  /** The tag's hash code, kept here so a lookup compares it without reading the tag's string. */
  final int hash;
  /** How many bytes of entries a chunk of this tag may hold: the request must fit around them. */
  final int maxChunkBytes;
  /**
   * Null while the tag has one stripe (this); else all of them, stripes of their own: this one's
   * chunk was sealed when they came, and from then on appenders only read this object. Replaced
   * (never changed in place) under the locks of all current stripes.
   */
  volatile Stripe[] stripes;
  /** Set under all stripe locks when the tag is taken out of the accumulator; never cleared. */
  boolean removed;
  /** When the flusher last saw the tag in use; the flusher's alone. */
  long lastUsedNanos;

  TagBuffer(String tag, int maxChunkBytes, long nowNanos) {
    this.tag = tag;
    this.hash = tag.hashCode();
    this.maxChunkBytes = maxChunkBytes;
    this.lastUsedNanos = nowNanos;
  }

  /** How many stripes {@code s} (a value read from {@link #stripes}) stands for. */
  static int width(Stripe[] s) {
    return s == null ? 1 : s.length;
  }

  /** Events appended to this tag so far, on its own stripe and on the stripes it got; any thread. */
  long appendedOnAllStripes() {
    long n = appendedCount();
    Stripe[] s = stripes;
    if (s != null) {
      for (Stripe st : s) {
        n += st.appendedCount();
      }
    }
    return n;
  }

  /** Stripe {@code i} of {@code s} (a value read from {@link #stripes}). */
  Stripe stripe(Stripe[] s, int i) {
    return s == null ? this : s[i];
  }

  /** Locks every stripe of {@code s} (a value read from {@link #stripes}), in index order. */
  void lockAll(Stripe[] s) {
    for (int i = 0, n = width(s); i < n; i++) {
      stripe(s, i).lock();
    }
  }

  void unlockAll(Stripe[] s) {
    for (int i = width(s) - 1; i >= 0; i--) {
      stripe(s, i).unlock();
    }
  }
}
