package dev.tributary.internal.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The accumulator's tags: an open-addressing hash table of {@link TagBuffer}s, keyed by their tag.
 *
 * <p>With thousands of tags every lookup misses the CPU caches on each object it touches. A
 * {@code ConcurrentHashMap} reaches the value through a node, one miss more per event than needed;
 * here the slots hold the tag buffers themselves, and a lookup reads the slot array (small enough
 * to stay cached) and then the tag buffer it needs anyway.
 *
 * <p>Thread safe. {@link #get} takes no lock and may answer {@code null} for a tag that is there,
 * while another thread adds or removes a tag (entries move as the table grows or closes a gap);
 * it never answers with another tag's buffer. {@link #getOrCreate}, {@link #remove} and {@link
 * #get} under the lock ({@link #find}) are exact. Callers treat a {@code null} from {@link #get}
 * as "not known yet" and go on to {@link #getOrCreate}.
 */
final class TagTable {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TagBuffer[].class);
  private static final int INITIAL_CAPACITY = 64;

  /** Never more than half full, so probes stay short. Replaced (not changed) when it grows. */
  private volatile TagBuffer[] slots = new TagBuffer[INITIAL_CAPACITY];
  private final Object lock = new Object();
  /** Guarded by the lock; read without it by {@link #size()}. */
  private volatile int size;

  /** The tag's buffer, or null if it is not held (or, rarely, while the table changes). No lock, no allocation. */
  TagBuffer get(String tag) {
    TagBuffer[] s = slots;
    int mask = s.length - 1;
    int h = tag.hashCode();
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      TagBuffer tb = (TagBuffer) SLOT.getAcquire(s, i);
      if (tb == null) {
        return null;
      }
      String t = tb.tag;
      if (t == tag || (tb.hash == h && t.equals(tag))) {
        return tb;
      }
    }
  }

  /** The tag's buffer, made by {@code create} if the tag is not held. */
  TagBuffer getOrCreate(String tag, Function<String, TagBuffer> create) {
    synchronized (lock) {
      TagBuffer tb = find(tag);
      if (tb != null) {
        return tb;
      }
      tb = create.apply(tag);
      if ((size + 1) * 2 > slots.length) {
        slots = grown(slots);
      }
      insert(slots, tb);
      size++;
      return tb;
    }
  }

  /** Removes {@code tb} if it is still the buffer of its tag. */
  void remove(TagBuffer tb) {
    synchronized (lock) {
      TagBuffer[] s = slots;
      int mask = s.length - 1;
      for (int i = spread(tb.hash) & mask; ; i = (i + 1) & mask) {
        TagBuffer at = s[i];
        if (at == null) {
          return;
        }
        if (at == tb) {
          closeGap(s, i);
          size--;
          return;
        }
      }
    }
  }

  /**
   * Calls {@code action} with every buffer held when the call starts, from a copy of the table:
   * removals during the walk (the action's own too) move entries, and must not make it skip one.
   */
  void forEach(Consumer<TagBuffer> action) {
    TagBuffer[] s;
    synchronized (lock) {
      s = slots.clone();
    }
    for (TagBuffer tb : s) {
      if (tb != null) {
        action.accept(tb);
      }
    }
  }

  int size() {
    return size;
  }

  /** Exact lookup; call under the lock. */
  private TagBuffer find(String tag) {
    TagBuffer[] s = slots;
    int mask = s.length - 1;
    int h = tag.hashCode();
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      TagBuffer tb = s[i];
      if (tb == null) {
        return null;
      }
      if (tb.hash == h && tb.tag.equals(tag)) {
        return tb;
      }
    }
  }

  private static void insert(TagBuffer[] s, TagBuffer tb) {
    int mask = s.length - 1;
    int i = spread(tb.hash) & mask;
    while (s[i] != null) {
      i = (i + 1) & mask;
    }
    SLOT.setRelease(s, i, tb);
  }

  private static TagBuffer[] grown(TagBuffer[] s) {
    TagBuffer[] to = new TagBuffer[s.length * 2];
    for (TagBuffer tb : s) {
      if (tb != null) {
        insert(to, tb);
      }
    }
    return to;
  }

  /**
   * Empties slot {@code gap} and moves later entries of the same probe run back into it, so that
   * every entry stays reachable from its home slot without tombstones. A lock-free reader may miss
   * an entry while it moves; it then takes the exact path.
   */
  private static void closeGap(TagBuffer[] s, int gap) {
    int mask = s.length - 1;
    SLOT.setRelease(s, gap, null);
    for (int i = (gap + 1) & mask; s[i] != null; i = (i + 1) & mask) {
      TagBuffer tb = s[i];
      int home = spread(tb.hash) & mask;
      // tb may move to the gap when its home is not within (gap, i] going round the table
      boolean movable = gap <= i ? (home <= gap || home > i) : (home <= gap && home > i);
      if (movable) {
        SLOT.setRelease(s, gap, tb);
        SLOT.setRelease(s, i, null);
        gap = i;
      }
    }
  }

  /** Mixes the high bits of the hash into the low ones that pick a slot. */
  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }
}
