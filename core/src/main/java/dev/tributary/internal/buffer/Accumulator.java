package dev.tributary.internal.buffer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Appends encoded events to the open chunk of their tag and seals chunks into the
 * {@link ChunkQueue}: when a chunk would pass its byte or record limit, when it has lingered, on
 * {@link #sealAll()}, and when memory runs short.
 *
 * <p>Thread safe; {@link #append} is the application threads' hot path: one map lookup, one
 * monitor per tag and stripe, one array copy, no allocation except when a chunk is opened.
 */
public final class Accumulator {

  /** Outcome of {@link #append}. */
  public enum Result { APPENDED, NO_MEMORY, TOO_LARGE, CLOSED }

  private final ConcurrentHashMap<String, TagBuffer> tags = new ConcurrentHashMap<>();
  private final BufferPool pool;
  private final ChunkQueue queue;
  private final ToIntFunction<String> maxChunkBytes;
  private final int maxChunkRecords;
  private final LongSupplier nanoClock;
  private final Predicate<String> tagCheck;
  private final int stripes;
  private volatile boolean closed;

  /**
   * @param maxChunkBytes for a tag, the bytes a chunk's entries may reach (asked once per tag); an
   *     event larger than that is {@link Result#TOO_LARGE}
   * @param maxChunkRecords a chunk seals at this many records (0: no record limit)
   * @param tagCheck validates a tag the first time it is seen; throws to reject it
   * @param stripes open chunks per tag, so that threads appending to one tag rarely contend
   */
  public Accumulator(BufferPool pool, ChunkQueue queue, ToIntFunction<String> maxChunkBytes, int maxChunkRecords,
      LongSupplier nanoClock, Predicate<String> tagCheck, int stripes) {
    this.stripes = stripes;
    this.pool = pool;
    this.queue = queue;
    this.maxChunkBytes = maxChunkBytes;
    this.maxChunkRecords = maxChunkRecords;
    this.nanoClock = nanoClock;
    this.tagCheck = tagCheck;
  }

  /**
   * Appends one encoded event to the open chunk of {@code tag} in stripe {@code stripe} (a thread
   * passes the same stripe every time, which keeps its events in order).
   */
  public Result append(String tag, int stripe, byte[] src, int len) {
    TagBuffer tb = tags.get(tag);
    if (tb == null) {
      tagCheck.test(tag);
      tb = tags.computeIfAbsent(tag, t -> new TagBuffer(t, stripes, maxChunkBytes.applyAsInt(t)));
    }
    int limit = tb.maxChunkBytes;
    if (len > limit) {
      return Result.TOO_LARGE;
    }
    TagBuffer.Stripe st = tb.stripes[Math.floorMod(stripe, stripes)];
    synchronized (st) {
      if (closed) {
        return Result.CLOSED;
      }
      Chunk c = st.open;
      if (c != null && (c.size() + len > limit
          || (maxChunkRecords > 0 && c.records() >= maxChunkRecords))) {
        queue.add(c);
        c = null;
        st.open = null;
      }
      if (c == null) {
        c = new Chunk(tag, pool, nanoClock.getAsLong());
        st.open = c;
      }
      if (!c.append(src, len)) {
        // let the flusher send what this stripe holds, so the memory can come back
        if (c.records() > 0) {
          queue.add(c);
          st.open = null;
        }
        return Result.NO_MEMORY;
      }
      if (maxChunkRecords > 0 && c.records() >= maxChunkRecords) {
        queue.add(c);
        st.open = null;
      }
      return Result.APPENDED;
    }
  }

  /** Appends on stripe 0 (single-threaded callers and tests). */
  public Result append(String tag, byte[] src, int len) {
    return append(tag, 0, src, len);
  }

  /**
   * Seals every open chunk created at or before {@code createdBeforeNanos}.
   *
   * @return the creation time of the oldest chunk left open, or {@link Long#MAX_VALUE} if none
   */
  public long sealOlderThan(long createdBeforeNanos) {
    long oldest = Long.MAX_VALUE;
    for (TagBuffer tb : tags.values()) {
      for (TagBuffer.Stripe st : tb.stripes) {
        synchronized (st) {
          Chunk c = st.open;
          if (c == null || c.records() == 0) {
            continue;
          }
          if (c.createdNanos() - createdBeforeNanos <= 0) {
            queue.add(c);
            st.open = null;
          } else if (oldest == Long.MAX_VALUE || c.createdNanos() - oldest < 0) {
            oldest = c.createdNanos();
          }
        }
      }
    }
    return oldest;
  }

  /** Seals every open chunk that holds a record. */
  public void sealAll() {
    for (TagBuffer tb : tags.values()) {
      for (TagBuffer.Stripe st : tb.stripes) {
        synchronized (st) {
          Chunk c = st.open;
          if (c != null && c.records() > 0) {
            queue.add(c);
            st.open = null;
          }
        }
      }
    }
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
