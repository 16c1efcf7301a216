package dev.tributary.internal.buffer;

import dev.tributary.internal.buffer.TagBuffer.Stripe;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Appends encoded events to the open chunk of their tag and seals chunks into the
 * {@link ChunkQueue}: when a chunk would pass its byte or record limit, when it has lingered, on
 * {@link #sealAll()}, and when memory runs short (then every open chunk is sealed, so that the
 * flusher can send them and the memory comes back).
 *
 * <p>Many tags are a normal case ({@code app.<logger>}, per-tenant tags), so a tag costs little:
 * one open chunk, whose first page is small ({@link BufferPool#pageSize(int)}); more open chunks
 * (stripes) only once threads contend on the tag; and the flusher's {@link #sealOlderThan} pass
 * forgets a tag that has had no open chunk for {@code idleTagNanos}.
 *
 * <p>Thread safe; {@link #append} is the application threads' hot path: one map lookup, one lock
 * per tag and stripe, one array copy, no allocation except when a chunk or a page is opened.
 */
public final class Accumulator {

  /** Outcome of {@link #append}. */
  public enum Result { APPENDED, NO_MEMORY, TOO_LARGE, CLOSED }

  /**
   * Appends that must find a stripe's lock held within a contention window (at least one flush
   * interval, see {@link #sealOlderThan}) before the tag gets more stripes: occasional collisions
   * of threads that log rarely do not need an open chunk each.
   */
  static final int WIDEN_AFTER_CONTENDED = 16;

  private final ConcurrentHashMap<String, TagBuffer> tags = new ConcurrentHashMap<>();
  private final BufferPool pool;
  private final ChunkQueue queue;
  private final int maxChunkRecords;
  private final LongSupplier nanoClock;
  private final Predicate<String> tagCheck;
  private final int maxStripes;
  private final long idleTagNanos;
  private final Function<String, TagBuffer> newTag;
  /** One thread at a time seals everything for want of memory; the others need not repeat it. */
  private final AtomicBoolean sealingForMemory = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * @param maxChunkBytes for a tag, the bytes a chunk's entries may reach (asked when the tag is
   *     first seen, and again if it comes back after it was forgotten); an event larger than that is
   *     {@link Result#TOO_LARGE}
   * @param maxChunkRecords a chunk seals at this many records (0: no record limit)
   * @param tagCheck validates a tag when it is first seen; throws to reject it
   * @param maxStripes the most open chunks a tag gets when threads contend on it
   * @param idleTagNanos a tag with no open chunk for this long is forgotten
   */
  public Accumulator(BufferPool pool, ChunkQueue queue, ToIntFunction<String> maxChunkBytes, int maxChunkRecords,
      LongSupplier nanoClock, Predicate<String> tagCheck, int maxStripes, long idleTagNanos) {
    if (maxStripes < 1) {
      throw new IllegalArgumentException("maxStripes must be >= 1, was " + maxStripes);
    }
    this.maxStripes = maxStripes;
    this.pool = pool;
    this.queue = queue;
    this.maxChunkRecords = maxChunkRecords;
    this.nanoClock = nanoClock;
    this.tagCheck = tagCheck;
    this.idleTagNanos = idleTagNanos;
    this.newTag = t -> new TagBuffer(t, maxChunkBytes.applyAsInt(t), nanoClock.getAsLong());
  }

  /**
   * Appends one encoded event to the open chunk of {@code tag} on the stripe that {@code stripe}
   * (any int, a hash of the calling thread) selects. A thread passes the same value every time,
   * which keeps its events in order.
   */
  public Result append(String tag, int stripe, byte[] src, int len) {
    while (true) {
      TagBuffer tb = tags.get(tag);
      if (tb == null) {
        tagCheck.test(tag);
        tb = tags.computeIfAbsent(tag, newTag);
      }
      if (len > tb.maxChunkBytes) {
        return Result.TOO_LARGE;
      }
      Stripe[] stripes = tb.stripes;
      Stripe st = stripes.length == 1 ? stripes[0] : stripes[Math.floorMod(stripe, stripes.length)];
      boolean widen = false;
      if (!st.tryLock()) {
        st.lock();
        widen = ++st.contended >= WIDEN_AFTER_CONTENDED && stripes.length < maxStripes;
      }
      Result result;
      try {
        if (tb.removed) {
          // the flusher forgot this tag after we looked it up: its successor takes the event
          tags.remove(tag, tb);
          continue;
        }
        if (tb.stripes != stripes) {
          continue;
        }
        if (closed) {
          return Result.CLOSED;
        }
        result = appendLocked(tb, st, src, len);
      } finally {
        st.unlock();
      }
      if (widen) {
        widen(tb, stripes);
      }
      if (result == Result.NO_MEMORY) {
        sealAllForMemory();
      }
      return result;
    }
  }

  private Result appendLocked(TagBuffer tb, Stripe st, byte[] src, int len) {
    Chunk c = st.open;
    if (c != null && (c.size() + len > tb.maxChunkBytes
        || (maxChunkRecords > 0 && c.records() >= maxChunkRecords))) {
      queue.add(c);
      st.open = null;
      c = null;
    }
    if (c == null) {
      c = new Chunk(tb.tag, pool, nanoClock.getAsLong());
      if (!c.append(src, len)) {
        return Result.NO_MEMORY;
      }
      st.open = c;
      st.opened = true;
    } else if (!c.append(src, len)) {
      // let the flusher send what this stripe holds, so the memory can come back
      queue.add(c);
      st.open = null;
      return Result.NO_MEMORY;
    }
    if (maxChunkRecords > 0 && c.records() >= maxChunkRecords) {
      queue.add(c);
      st.open = null;
    }
    return Result.APPENDED;
  }

  /**
   * Gives a contended tag twice the stripes. The open chunks are sealed first: a thread may land on
   * another stripe afterwards, and its new events must not be sent before its earlier ones.
   */
  private void widen(TagBuffer tb, Stripe[] from) {
    TagBuffer.lockAll(from);
    try {
      if (tb.stripes != from || tb.removed || closed) {
        return;
      }
      for (Stripe st : from) {
        if (st.open != null) {
          queue.add(st.open);
          st.open = null;
        }
        st.contended = 0;
      }
      Stripe[] to = Arrays.copyOf(from, Math.min(maxStripes, from.length * 2));
      for (int i = from.length; i < to.length; i++) {
        to[i] = new Stripe();
      }
      tb.stripes = to;
    } finally {
      TagBuffer.unlockAll(from);
    }
  }

  private void sealAllForMemory() {
    if (sealingForMemory.compareAndSet(false, true)) {
      try {
        sealAll();
      } finally {
        sealingForMemory.set(false);
      }
    }
  }

  /** Appends on stripe 0 (single-threaded callers and tests). */
  public Result append(String tag, byte[] src, int len) {
    return append(tag, 0, src, len);
  }

  /**
   * Seals every open chunk created at or before {@code createdBeforeNanos}, and forgets the tags
   * that have had no open chunk for {@code idleTagNanos}. The flusher calls this, from one thread.
   *
   * @return the creation time of the oldest chunk left open, or {@link Long#MAX_VALUE} if none
   */
  public long sealOlderThan(long createdBeforeNanos) {
    long now = nanoClock.getAsLong();
    long oldest = Long.MAX_VALUE;
    for (TagBuffer tb : tags.values()) {
      boolean resetContention = now - tb.contentionSinceNanos >= idleTagNanos / 2;
      if (resetContention) {
        tb.contentionSinceNanos = now;
      }
      boolean used = false;
      for (Stripe st : tb.stripes) {
        st.lock();
        try {
          if (resetContention) {
            st.contended = 0;
          }
          Chunk c = st.open;
          used |= st.opened || c != null;
          st.opened = false;
          if (c == null) {
            continue;
          }
          if (c.createdNanos() - createdBeforeNanos <= 0) {
            queue.add(c);
            st.open = null;
          } else if (oldest == Long.MAX_VALUE || c.createdNanos() - oldest < 0) {
            oldest = c.createdNanos();
          }
        } finally {
          st.unlock();
        }
      }
      if (used) {
        tb.lastUsedNanos = now;
      } else if (now - tb.lastUsedNanos >= idleTagNanos) {
        forgetIfIdle(tb, now);
      }
    }
    return oldest;
  }

  /**
   * Takes an idle tag out of the map. It is marked removed under all its locks, after a last look
   * that no chunk was opened since the pass began; an appender that holds it checks the mark and
   * goes to the map again.
   */
  private void forgetIfIdle(TagBuffer tb, long now) {
    Stripe[] stripes = tb.stripes;
    TagBuffer.lockAll(stripes);
    try {
      if (tb.stripes != stripes) {
        return;
      }
      for (Stripe st : stripes) {
        if (st.open != null || st.opened) {
          tb.lastUsedNanos = now;
          return;
        }
      }
      tb.removed = true;
    } finally {
      TagBuffer.unlockAll(stripes);
    }
    tags.remove(tb.tag, tb);
  }

  /** Seals every open chunk. */
  public void sealAll() {
    for (TagBuffer tb : tags.values()) {
      for (Stripe st : tb.stripes) {
        st.lock();
        try {
          Chunk c = st.open;
          if (c != null) {
            queue.add(c);
            st.open = null;
          }
        } finally {
          st.unlock();
        }
      }
    }
  }

  /** Tags held now: those with an open chunk, and those used within {@code idleTagNanos}. */
  public int openTags() {
    return tags.size();
  }

  /** The tag's buffer, or null if the tag is not held (tests). */
  TagBuffer tagBuffer(String tag) {
    return tags.get(tag);
  }

  /** Refuses further appends, then seals what is open. */
  public void close() {
    closed = true;
    sealAll();
  }

  public boolean closed() {
    return closed;
  }
}
