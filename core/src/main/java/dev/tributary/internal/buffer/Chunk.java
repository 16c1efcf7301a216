package dev.tributary.internal.buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * A run of encoded events for one tag: the entries of one forward request, concatenated
 * {@code [time, record]} msgpack arrays held in pool pages.
 *
 * <p>Appends happen under the lock of the {@link Stripe} that holds it open; once sealed a chunk
 * belongs to the flusher alone (and to the output it was handed to), so the delivery fields below
 * need no synchronisation of their own. Its pages grow with it, small first ({@link
 * BufferPool#pageSize(int)}). The pages go back to the pool exactly once, through {@link #free}:
 * a chunk {@linkplain #split() split} in two shares its pages with its halves, and the pages go
 * back when the last half is freed.
 *
 * <p>A chunk of the file buffer holds no pages: its entries are in a {@link ChunkFile}, appended
 * into the file's mapping while it is open and read from the file once sealed. Its halves share
 * the file the same way, so the file is deleted only once both are delivered; after a restart in
 * between, the whole chunk is sent again (duplicates, never a loss).
 */
public final class Chunk {

  private final String tag;
  private final BufferPool pool;
  /** The file holding the entries (file buffer), or null (pages). */
  private final ChunkFile file;
  /** The id kept in the file since the chunk was made; halves have none of their own. */
  private final String storedId;
  private boolean released;
  private final long createdNanos;
  /** Pages in order, of the sizes {@link BufferPool#pageSize(int)} gives: small first, then larger. */
  private byte[][] pages = new byte[4][];
  private int pageCount;
  /** Bytes of the pages held. */
  private int capacity;
  /** The page being filled, its index, and where in it the next byte goes. */
  private byte[] tail;
  private int tailIndex = -1;
  private int tailPos;
  /** Where the entries start in the pages: 0, except in the second half of a split. */
  private int start;
  private int size;
  private int records;
  /** References to the pages, when halves share them; null while this chunk owns them alone. */
  private AtomicInteger sharers;

  // delivery state, owned by the flusher after sealing
  private String id;
  private int attempts;
  private long firstFailureNanos;
  private boolean written;
  private long sentNanos;
  private boolean splitWanted;
  private int rejections;
  private int breaks;
  private long lastBreakNanos;
  private boolean unackedWhileServerAcked;
  private boolean sendLast;

  Chunk(String tag, BufferPool pool, long createdNanos) {
    this.tag = tag;
    this.pool = pool;
    this.file = null;
    this.storedId = null;
    this.createdNanos = createdNanos;
  }

  /** A chunk whose entries are in {@code file}: open and empty, or recovered with its entries. */
  Chunk(String tag, ChunkFile file, long createdNanos, int size, int records) {
    this(tag, file, file.id, createdNanos);
    this.size = size;
    this.records = records;
    this.capacity = (int) Math.min(Integer.MAX_VALUE, file.holds());
  }

  private Chunk(String tag, ChunkFile file, String storedId, long createdNanos) {
    this.tag = tag;
    this.pool = null;
    this.file = file;
    this.storedId = storedId;
    this.createdNanos = createdNanos;
  }

  /**
   * Copies {@code len} bytes in as one more record.
   *
   * @return false, with nothing changed, when the pool has no room for the pages it needs
   */
  boolean append(byte[] src, int len) {
    byte[] t = tail;
    int pos = tailPos;
    if (t != null && len <= t.length - pos) {
      System.arraycopy(src, 0, t, pos, len);
      tailPos = pos + len;
      size += len;
      records++;
      return true;
    }
    return appendAcrossPages(src, len);
  }

  /** Takes the pages the record needs (all or none), then copies it across them. */
  private boolean appendAcrossPages(byte[] src, int len) {
    if (file != null) {
      return appendToFile(src, len);
    }
    int room = tail == null ? 0 : tail.length - tailPos;
    int first = pageCount;
    while (room < len) {
      byte[] p = pool.tryAllocate(pool.pageSize(pageCount));
      if (p == null) {
        for (int i = first; i < pageCount; i++) {
          capacity -= pages[i].length;
        }
        pool.release(pages, first, pageCount - first);
        pageCount = first;
        return false;
      }
      if (pageCount == pages.length) {
        pages = Arrays.copyOf(pages, pageCount * 2);
      }
      pages[pageCount++] = p;
      capacity += p.length;
      room += p.length;
    }
    int off = 0;
    while (off < len) {
      if (tail == null || tailPos == tail.length) {
        tail = pages[++tailIndex];
        tailPos = 0;
      }
      int n = Math.min(len - off, tail.length - tailPos);
      System.arraycopy(src, off, tail, tailPos, n);
      off += n;
      tailPos += n;
    }
    size += len;
    records++;
    return true;
  }

  /**
   * Copies the record into the slot's mapping, then records the new length in the header: a process
   * killed at any point leaves the file with every complete entry covered, and nothing beyond (a
   * reused slot holds an earlier chunk's entries there). The record count is written at seal
   * ({@link #sealRecords()}); recovery counts the entries of an open chunk itself.
   */
  private boolean appendToFile(byte[] src, int len) {
    ChunkFile f = file;
    MappedByteBuffer m = f.map;
    if (m == null || len > f.capacity - size) {
      return false;
    }
    m.put(f.dataOffset + size, src, 0, len);
    size += len;
    records++;
    VarHandle.releaseFence(); // the entry's bytes before the length that covers them
    m.putInt(ChunkFile.OFF_LENGTH, size);
    return true;
  }

  /** Writes the record count into the header of a file-buffer chunk being sealed; under the stripe lock. */
  void sealRecords() {
    MappedByteBuffer m = file == null ? null : file.map;
    if (m != null) {
      m.putInt(ChunkFile.OFF_RECORDS, records);
    }
  }

  /** The file of a file-buffer chunk, or null. */
  ChunkFile file() {
    return file;
  }

  /**
   * The id this chunk was given when it was made and keeps across restarts (file buffer), or null:
   * a chunk in memory, or the half of a split chunk, gets its id when first sent.
   */
  public String storedId() {
    return storedId;
  }

  /** Bytes of pool pages (or of the disk budget) this chunk holds while it is open. */
  int capacity() {
    return capacity;
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

  /** Writes the entries, page by page (or read from the file). */
  public void writeTo(OutputStream out) throws IOException {
    if (file != null) {
      file.writeTo(start, size, out);
      return;
    }
    int remaining = size;
    if (remaining == 0) {
      return;
    }
    int i = 0;
    int at = start;
    while (at >= pages[i].length) {
      at -= pages[i++].length;
    }
    while (remaining > 0) {
      byte[] p = pages[i++];
      int n = Math.min(remaining, p.length - at);
      out.write(p, at, n);
      at = 0;
      remaining -= n;
    }
  }

  /** A copy of the entries as one array (splitting, tests). */
  public byte[] toByteArray() {
    if (file != null) {
      return file.read(start, size);
    }
    byte[] b = new byte[size];
    int remaining = size;
    if (remaining == 0) {
      return b;
    }
    int i = 0;
    int at = start;
    while (at >= pages[i].length) {
      at -= pages[i++].length;
    }
    int to = 0;
    while (remaining > 0) {
      byte[] p = pages[i++];
      int n = Math.min(remaining, p.length - at);
      System.arraycopy(p, at, b, to, n);
      at = 0;
      to += n;
      remaining -= n;
    }
    return b;
  }

  /**
   * Cuts a sealed chunk of two or more records into two chunks of about half the records each, in
   * order, that share this chunk's pages (no copy, no memory from the pool: a split can never
   * fail for want of memory). This chunk must not be used afterwards; its halves have no id and no
   * delivery history except the first failure time, so retry limits keep counting from it.
   *
   * <p>The flusher splits a chunk the server does not acknowledge, to find the records it refuses.
   */
  public Chunk[] split() {
    if (records < 2) {
      throw new IllegalStateException("a chunk of " + records + " record(s) cannot be split");
    }
    int firstRecords = records / 2;
    int cut;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(toByteArray())) {
      for (int i = 0; i < firstRecords; i++) {
        u.skipValue();
      }
      cut = (int) u.getTotalReadBytes();
    } catch (IOException e) {
      throw new IllegalStateException("chunk entries are not msgpack: " + this, e);
    }
    AtomicInteger shared = sharers != null ? sharers : new AtomicInteger(1);
    shared.incrementAndGet();
    Chunk a = half(shared, start, cut, firstRecords);
    Chunk b = half(shared, start + cut, size - cut, records - firstRecords);
    sharers = shared;
    released = true;
    pageCount = 0;
    pages = null;
    tail = null;
    size = 0;
    records = 0;
    return new Chunk[] {a, b};
  }

  private Chunk half(AtomicInteger shared, int from, int bytes, int n) {
    Chunk c = file != null ? new Chunk(tag, file, null, createdNanos) : new Chunk(tag, pool, createdNanos);
    c.pages = pages;
    c.pageCount = pageCount;
    c.start = from;
    c.size = bytes;
    c.records = n;
    c.sharers = shared;
    c.attempts = attempts;
    c.firstFailureNanos = firstFailureNanos;
    c.written = written;
    return c;
  }

  /** Gives the pages back to the pool (once the last chunk sharing them is freed). */
  public void free() {
    if (file != null) {
      freeFile();
      return;
    }
    byte[][] p = pages;
    int n = pageCount;
    pageCount = 0;
    size = 0;
    tail = null;
    if (p == null || n == 0) {
      return;
    }
    if (sharers != null && sharers.decrementAndGet() > 0) {
      pages = null;
      return;
    }
    pool.release(p, 0, n);
  }

  /** Deletes the file once the last chunk sharing it is freed. */
  private void freeFile() {
    if (released) {
      return;
    }
    released = true;
    size = 0;
    if (sharers != null && sharers.decrementAndGet() > 0) {
      return;
    }
    file.store.release(file.delete());
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

  /** When the chunk was last written completely (the start of its ack deadline), 0 before. */
  public long sentNanos() {
    return sentNanos;
  }

  public void sent(long nanos) {
    this.sentNanos = nanos;
  }

  /**
   * The server did not acknowledge this chunk by its deadline (or broke connection after
   * connection on it): send it again in two halves.
   */
  public void wantSplit() {
    splitWanted = true;
  }

  public boolean splitWanted() {
    return splitWanted;
  }

  /**
   * Records that the chunk went unacknowledged while the same server acknowledged other requests,
   * so the server very likely refuses this one; returns how often that happened.
   */
  public int rejectedOnce() {
    return ++rejections;
  }

  public int rejections() {
    return rejections;
  }

  /**
   * Set for a chunk that came back because of its own missing ack, not because its connection
   * failed: it is resent at once, without backoff and without counting a retry attempt.
   */
  public void unackedWhileServerAcked(boolean value) {
    this.unackedWhileServerAcked = value;
  }

  public boolean unackedWhileServerAcked() {
    return unackedWhileServerAcked;
  }

  /**
   * Set for a single event that broke connection after connection: it is queued behind everything
   * else, so that the rest is not held up by it.
   */
  public void sendLast(boolean value) {
    this.sendLast = value;
  }

  public boolean sendLast() {
    return sendLast;
  }

  /**
   * Counts a connection that broke while this chunk was the oldest one waiting on it; returns the
   * count.
   */
  public int brokeConnection(long nowNanos) {
    lastBreakNanos = nowNanos;
    return ++breaks;
  }

  public int breaks() {
    return breaks;
  }

  /** When a connection last broke with this chunk at its head, 0 if never. */
  public long lastBreakNanos() {
    return lastBreakNanos;
  }

  @Override
  public String toString() {
    return "Chunk{" + tag + ", " + records + " records, " + size + " bytes, id=" + id + "}";
  }
}
