package dev.tributary.internal.buffer;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Appends encoded events to the open chunk of their tag and seals chunks into the
 * {@link ChunkQueue}: when a chunk would pass its byte or record limit, when it has lingered, on
 * {@link #sealAll()}, and when memory runs short while open chunks hold most of it (then every open
 * chunk is sealed, so that the flusher can send them and the memory comes back).
 *
 * <p>Many tags are a normal case ({@code app.<logger>}, per-tenant tags), so a tag costs little:
 * one open chunk, whose first page is small ({@link BufferPool#pageSize(int)}); more open chunks
 * (stripes) only once threads contend on the tag; and the flusher's {@link #sealOlderThan} pass
 * forgets a tag that has had no open chunk for {@code idleTagNanos}. That pass costs what is due,
 * not what is open: a stripe that opens a chunk joins a heap ordered by creation time, so with
 * thousands of tags each pass touches only the chunks whose time has come (and every half idle
 * time, once, every tag).
 *
 * <p>Thread safe; {@link #append} is the application threads' hot path: one table lookup, one lock
 * per tag and stripe, one array copy, no allocation except when a chunk or a page is opened.
 * Owns the open chunks (their pages come from the {@link BufferPool}); sealed chunks belong to
 * whoever takes them from the queue. {@link #close()} refuses further appends and seals what is
 * open; it frees nothing.
 *
 * <pre>{@code
 * Accumulator acc = new Accumulator(pool, queue, tag -> 1 << 20, 0, System::nanoTime, Tags::isValid,
 *     8, 2 * flushIntervalNanos);
 * acc.append("app.orders", Thread.currentThread().hashCode(), bytes, len);  // application threads
 * long oldest = acc.sealOlderThan(System.nanoTime() - flushIntervalNanos);    // the flusher
 * }</pre>
 */
public final class Accumulator {

  /** Outcome of {@link #append}. */
  public enum Result { APPENDED, NO_MEMORY, TOO_LARGE, CLOSED, STORAGE_ERROR }

  /**
   * Appends that must find a stripe's lock held between two sweeps of the flusher (half the idle
   * time: one flush interval) before the tag gets more stripes: occasional collisions of threads
   * that log rarely do not need an open chunk each.
   */
  static final int WIDEN_AFTER_CONTENDED = 16;

  private final TagTable tags = new TagTable();
  private final ChunkStore store;
  private final ChunkQueue queue;
  private final int maxChunkRecords;
  private final LongSupplier nanoClock;
  private final Predicate<String> tagCheck;
  private final int maxStripes;
  private final long idleTagNanos;
  private final Function<String, TagBuffer> newTag;
  /** One thread at a time seals everything for want of memory; the others need not repeat it. */
  private final AtomicBoolean sealingForMemory = new AtomicBoolean();
  /** Pool bytes held by open chunks; changes when an open chunk takes a page and when it seals. */
  private final LongAdder openBytes = new LongAdder();
  /** Stripes armed since the flusher's last pass: a stack that appenders push onto without allocating. */
  private final AtomicReference<Stripe> newlyArmed = new AtomicReference<>();
  /** Armed stripes by {@link Stripe#dueKey}, oldest first; the flusher's alone. */
  private final StripeHeap deadlines = new StripeHeap();
  /** When the flusher last looked at every tag; the flusher's alone, as is the count below. */
  private long lastSweepNanos;
  private long forgottenTags;
  private volatile boolean closed;
  private volatile boolean sealedAtClose;
  /**
   * Odd while the flusher moves a forgotten tag's count of appended events into {@link
   * #appendedByForgotten} and takes the tag out of the map; {@link #appended()} reads again when
   * it changed under it. Both written by the flusher alone.
   */
  private volatile long forgetting;
  private volatile long appendedByForgotten;

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
    this(new MemoryChunkStore(pool), queue, maxChunkBytes, maxChunkRecords, nanoClock, tagCheck, maxStripes,
        idleTagNanos);
  }

  /** As above, with the chunks made by {@code store} (memory or file). */
  public Accumulator(ChunkStore store, ChunkQueue queue, ToIntFunction<String> maxChunkBytes, int maxChunkRecords,
      LongSupplier nanoClock, Predicate<String> tagCheck, int maxStripes, long idleTagNanos) {
    if (maxStripes < 1) {
      throw new IllegalArgumentException("maxStripes must be >= 1, was " + maxStripes);
    }
    this.maxStripes = maxStripes;
    this.store = store;
    this.queue = queue;
    this.maxChunkRecords = maxChunkRecords;
    this.nanoClock = nanoClock;
    this.tagCheck = tagCheck;
    this.idleTagNanos = idleTagNanos;
    this.newTag = t -> new TagBuffer(t, maxChunkBytes.applyAsInt(t), nanoClock.getAsLong());
    this.lastSweepNanos = nanoClock.getAsLong();
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
        tb = tags.getOrCreate(tag, newTag);
      }
      if (len > tb.maxChunkBytes) {
        return Result.TOO_LARGE;
      }
      Stripe[] stripes = tb.stripes;
      Stripe st = stripes == null ? tb : stripes[Math.floorMod(stripe, stripes.length)];
      boolean widen = false;
      if (!st.tryLock()) {
        st.lock();
        widen = ++st.contended >= WIDEN_AFTER_CONTENDED && TagBuffer.width(stripes) < maxStripes;
      }
      Result result;
      try {
        if (tb.removed) {
          // the flusher forgot this tag after we looked it up: its successor takes the event
          tags.remove(tb);
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
      seal(st, c);
      c = null;
    }
    if (c == null) {
      try {
        c = store.open(tb.tag, nanoClock.getAsLong());
      } catch (IOException e) {
        store.storageFailed(e);
        return Result.STORAGE_ERROR;
      }
      if (c == null) {
        return Result.NO_MEMORY;
      }
      if (!c.append(src, len)) {
        c.free();
        return Result.NO_MEMORY;
      }
      openBytes.add(c.capacity());
      st.open = c;
      st.opened = true;
      if (!st.armed) {
        arm(st, c.createdNanos());
      }
    } else {
      int capacity = c.capacity();
      if (!c.append(src, len)) {
        return Result.NO_MEMORY;
      }
      if (c.capacity() != capacity) {
        openBytes.add(c.capacity() - capacity);
      }
    }
    st.countAppended();
    if (maxChunkRecords > 0 && c.records() >= maxChunkRecords) {
      seal(st, c);
    }
    return Result.APPENDED;
  }

  /** Hands the stripe's open chunk {@code c} to the queue; under the stripe's lock. */
  private void seal(Stripe st, Chunk c) {
    openBytes.add(-sealQuietly(st, c));
  }

  /** Seals like {@link #seal} but leaves the open-bytes count to the caller; returns the chunk's capacity. */
  private int sealQuietly(Stripe st, Chunk c) {
    store.sealed(c);
    queue.add(c);
    st.open = null;
    return c.capacity();
  }

  /** Puts a stripe that just opened a chunk among those the flusher watches; under its lock. */
  private void arm(Stripe st, long createdNanos) {
    st.armed = true;
    st.dueKey = createdNanos;
    Stripe head;
    do {
      head = newlyArmed.get();
      st.nextArmed = head;
    } while (!newlyArmed.compareAndSet(head, st));
  }

  /**
   * Gives a contended tag twice the stripes. The open chunks are sealed first: a thread may land on
   * another stripe afterwards, and its new events must not be sent before its earlier ones.
   */
  private void widen(TagBuffer tb, Stripe[] from) {
    tb.lockAll(from);
    try {
      if (tb.stripes != from || tb.removed || closed) {
        return;
      }
      int width = TagBuffer.width(from);
      for (int i = 0; i < width; i++) {
        Stripe st = tb.stripe(from, i);
        if (st.open != null) {
          seal(st, st.open);
        }
        st.contended = 0;
      }
      // the tag buffer's own stripe is left out: once a tag has stripes, appenders only read the
      // tag buffer, and its fields stay in the caches of every core
      Stripe[] to = from == null ? new Stripe[0] : from;
      int kept = to.length;
      to = Arrays.copyOf(to, Math.min(maxStripes, width * 2));
      for (int i = kept; i < to.length; i++) {
        to[i] = new Stripe();
      }
      tb.stripes = to;
    } finally {
      tb.unlockAll(from);
    }
  }

  /**
   * Seals every open chunk when they hold at least half of the memory in use. When they hold less,
   * most of it is in chunks already sealed, which the flusher is sending: sealing the open ones too
   * would only cut them short, and again on the next shortage, until every request carried one
   * event and the flusher could not keep up for the number of requests.
   */
  private void sealAllForMemory() {
    if (openBytes.sum() * 2 < store.usedBytes()) {
      return;
    }
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
   * that have had no open chunk for {@code idleTagNanos} (a tag is gone within half an idle time
   * more). The flusher calls this, from one thread at a time.
   *
   * @return the creation time of the oldest chunk left open, or {@link Long#MAX_VALUE} if none; never
   *     later than that, but it may be earlier once after a chunk was sealed early (by size, say),
   *     which only costs the caller a pass that finds nothing due
   */
  public long sealOlderThan(long createdBeforeNanos) {
    long now = nanoClock.getAsLong();
    if (now - lastSweepNanos >= idleTagNanos / 2) {
      lastSweepNanos = now;
      sweep(now);
    }
    for (Stripe st = newlyArmed.getAndSet(null); st != null; ) {
      Stripe next = st.nextArmed;
      st.nextArmed = null;
      deadlines.add(st);
      st = next;
    }
    long sealedBytes = 0;
    Stripe st;
    while ((st = deadlines.peek()) != null && deadlines.peekKey() - createdBeforeNanos <= 0) {
      deadlines.poll();
      boolean stillOpen = false;
      st.lock();
      try {
        Chunk c = st.open;
        if (c != null && c.createdNanos() - createdBeforeNanos <= 0) {
          sealedBytes += sealQuietly(st, c);
          c = null;
        }
        if (c != null) {
          // the chunk the key was for sealed early (size, widening, memory) and another opened
          st.dueKey = c.createdNanos();
          stillOpen = true;
        } else {
          // the next chunk to open here arms the stripe again
          st.armed = false;
        }
      } finally {
        st.unlock();
      }
      if (stillOpen) {
        deadlines.add(st);
      }
    }
    openBytes.add(-sealedBytes);
    return st == null ? Long.MAX_VALUE : deadlines.peekKey();
  }

  /** Looks at every tag: resets contention counts and forgets the tags idle for long enough. */
  private void sweep(long now) {
    tags.forEach(tb -> sweep(tb, now));
  }

  private void sweep(TagBuffer tb, long now) {
    boolean used = false;
    Stripe[] stripes = tb.stripes;
    for (int i = 0, n = TagBuffer.width(stripes); i < n; i++) {
      Stripe st = tb.stripe(stripes, i);
      st.lock();
      try {
        st.contended = 0;
        used |= st.opened || st.open != null;
        st.opened = false;
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

  /**
   * Takes an idle tag out of the map. It is marked removed under all its locks, after a last look
   * that no chunk was opened since the pass began; an appender that holds it checks the mark and
   * goes to the map again.
   */
  private void forgetIfIdle(TagBuffer tb, long now) {
    Stripe[] stripes = tb.stripes;
    long version = forgetting;
    tb.lockAll(stripes);
    try {
      if (tb.stripes != stripes) {
        return;
      }
      for (int i = 0, n = TagBuffer.width(stripes); i < n; i++) {
        Stripe st = tb.stripe(stripes, i);
        if (st.open != null || st.opened) {
          tb.lastUsedNanos = now;
          return;
        }
      }
      forgetting = version + 1;
      tb.removed = true;
      appendedByForgotten += tb.appendedOnAllStripes();
    } finally {
      tb.unlockAll(stripes);
    }
    tags.remove(tb);
    forgetting = version + 2;
    forgottenTags++;
  }

  /**
   * Events appended so far, all tags: the stripes' own counts summed, with those of the tags
   * forgotten. Never less than an earlier call returned; any thread, one walk over the tags.
   */
  public long appended() {
    while (true) {
      long version = forgetting;
      if ((version & 1) == 0) {
        long[] n = {appendedByForgotten};
        tags.forEach(tb -> {
          if (!tb.removed) {
            n[0] += tb.appendedOnAllStripes();
          }
        });
        if (forgetting == version) {
          return n[0];
        }
      }
      Thread.onSpinWait();
    }
  }

  /** Seals every open chunk. */
  public void sealAll() {
    tags.forEach(this::sealAll);
  }

  private void sealAll(TagBuffer tb) {
    Stripe[] stripes = tb.stripes;
    for (int i = 0, n = TagBuffer.width(stripes); i < n; i++) {
      Stripe st = tb.stripe(stripes, i);
      st.lock();
      try {
        Chunk c = st.open;
        if (c != null) {
          seal(st, c);
        }
      } finally {
        st.unlock();
      }
    }
  }

  /** Tags held now: those with an open chunk, and those used within {@code idleTagNanos}. */
  public int openTags() {
    return tags.size();
  }

  /** Whether {@code tag} is held now (see {@link #openTags()}); any thread, no allocation. */
  public boolean holds(String tag) {
    return tags.get(tag) != null;
  }

  /** Tags forgotten so far; read it on the thread that calls {@link #sealOlderThan} (tests). */
  long forgottenTags() {
    return forgottenTags;
  }

  /** Pool bytes held by open chunks (tests). */
  long openBytes() {
    return openBytes.sum();
  }

  /** The tag's buffer, or null if the tag is not held (tests). */
  TagBuffer tagBuffer(String tag) {
    return tags.get(tag);
  }

  /** Refuses further appends, then seals what is open. */
  public void close() {
    closed = true;
    sealAll();
    sealedAtClose = true;
  }

  /**
   * True once {@link #close()} has refused further appends and sealed what was open: from then on
   * everything accepted is in the queue or beyond, so an empty queue means drained. (Between the
   * two, an append that got in before the refusal may still sit in an open chunk.)
   */
  public boolean closed() {
    return sealedAtClose;
  }
}
