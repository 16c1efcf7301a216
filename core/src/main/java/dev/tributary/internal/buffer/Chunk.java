package dev.tributary.internal.buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A run of encoded events for one tag: the entries of one forward request, concatenated
 * {@code [time, record]} msgpack arrays held in pool pages.
 *
 * <p>Appends happen under the owning {@link TagBuffer}'s lock; once sealed a chunk belongs to the
 * flusher alone, so the delivery fields below need no synchronisation of their own. The pages go
 * back to the pool exactly once, through {@link #free}.
 */
public final class Chunk {

  private final String tag;
  private final BufferPool pool;
  private final int pageSize;
  private final int pageShift;
  private final int pageMask;
  private final long createdNanos;
  private byte[][] pages = new byte[4][];
  private int pageCount;
  private int size;
  private int records;

  // delivery state, owned by the flusher after sealing
  private String id;
  private int attempts;
  private long firstFailureNanos;
  private boolean written;
  private byte[] compressed;

  Chunk(String tag, BufferPool pool, long createdNanos) {
    this.tag = tag;
    this.pool = pool;
    this.pageSize = pool.pageSize();
    this.pageShift = Integer.numberOfTrailingZeros(pageSize);
    this.pageMask = pageSize - 1;
    this.createdNanos = createdNanos;
  }

  /**
   * Copies {@code len} bytes in as one more record.
   *
   * @return false, with nothing changed, when the pool has no room for the pages it needs
   */
  boolean append(byte[] src, int len) {
    int needed = pagesFor(size + len) - pageCount;
    if (needed > 0) {
      if (pageCount + needed > pages.length) {
        pages = Arrays.copyOf(pages, Math.max(pages.length * 2, pageCount + needed));
      }
      if (!pool.tryAllocate(needed, pages, pageCount)) {
        return false;
      }
      pageCount += needed;
    }
    int off = 0;
    while (off < len) {
      int page = size >>> pageShift;
      int inPage = size & pageMask;
      int n = Math.min(len - off, pageSize - inPage);
      System.arraycopy(src, off, pages[page], inPage, n);
      off += n;
      size += n;
    }
    records++;
    return true;
  }

  private int pagesFor(int bytes) {
    return (bytes + pageMask) >>> pageShift;
  }

  public String tag() {
    return tag;
  }

  /** Bytes of encoded entries. */
  public int size() {
    return size;
  }

  public int records() {
    return records;
  }

  public long createdNanos() {
    return createdNanos;
  }

  /** Bytes of pool memory this chunk holds. */
  public long heldBytes() {
    return (long) pageCount * pageSize;
  }

  /** Writes the entries, page by page. */
  public void writeTo(OutputStream out) throws IOException {
    int remaining = size;
    for (int i = 0; i < pageCount && remaining > 0; i++) {
      int n = Math.min(remaining, pageSize);
      out.write(pages[i], 0, n);
      remaining -= n;
    }
  }

  /** A copy of the entries as one array (gzip, tests). */
  public byte[] toByteArray() {
    byte[] b = new byte[size];
    int remaining = size;
    int at = 0;
    for (int i = 0; i < pageCount && remaining > 0; i++) {
      int n = Math.min(remaining, pageSize);
      System.arraycopy(pages[i], 0, b, at, n);
      at += n;
      remaining -= n;
    }
    return b;
  }

  /** Gives the pages back to the pool; the chunk is empty afterwards. */
  public void free() {
    pool.release(pages, pageCount);
    pageCount = 0;
    size = 0;
    compressed = null;
  }

  public String id() {
    return id;
  }

  public void id(String id) {
    this.id = id;
  }

  public int attempts() {
    return attempts;
  }

  /** Records a failed attempt; returns the attempt count. */
  public int failedAttempt(long nowNanos) {
    if (attempts++ == 0) {
      firstFailureNanos = nowNanos;
    }
    return attempts;
  }

  public long firstFailureNanos() {
    return firstFailureNanos;
  }

  /** Whether the chunk went onto a socket at least once (a resend may duplicate events). */
  public boolean written() {
    return written;
  }

  public void markWritten() {
    written = true;
  }

  public byte[] compressed() {
    return compressed;
  }

  public void compressed(byte[] gzip) {
    this.compressed = gzip;
  }

  @Override
  public String toString() {
    return "Chunk{" + tag + ", " + records + " records, " + size + " bytes, id=" + id + "}";
  }
}
