package dev.tributary.internal.buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One chunk's file in the file buffer: a 64-byte header, the tag, then the entries exactly as a
 * PackedForward request carries them. While the chunk is open the file is memory-mapped and
 * {@link Chunk} appends straight into the mapping; once sealed it is {@linkplain #persist
 * persisted} (header completed, file cut to its length, forced as the fsync mode says) and
 * unmapped, and a send reads it.
 *
 * <p>Layout (big-endian):
 *
 * <pre>
 *  0  4  magic "TRBC"
 *  4  1  format version (1)
 *  5  1  state: 0 spare (no events), 1 open, 2 sealed
 *  6  2  tag length in bytes (UTF-8)
 *  8  8  creation time, epoch milliseconds
 * 16  8  order: a counter taken when the chunk opens, continued across restarts (recovery order)
 * 24 24  chunk id: the ack id sent with it, 24 ASCII characters
 * 48  4  record count      (open: updated after each append)
 * 52  4  entries length    (open: updated after each append)
 * 56  4  CRC-32C of the entries then the record count (sealed only)
 * 60  4  CRC-32C of bytes 0..47 with the state byte as 0, then the tag
 * 64     tag, then the entries
 * </pre>
 *
 * <p>Thread safety: the mapping is written by the appending thread under its stripe lock; {@link
 * #persist}, the reads and {@link #delete} synchronize on this object, so a chunk evicted or acked
 * on another thread is never unmapped under a reader.
 */
final class ChunkFile {

  static final int MAGIC = 0x54524243; // "TRBC"
  static final int VERSION = 1;
  static final byte SPARE = 0;
  static final byte OPEN = 1;
  static final byte SEALED = 2;
  static final int HEADER = 64;
  static final int OFF_VERSION = 4;
  static final int OFF_STATE = 5;
  static final int OFF_TAG_LENGTH = 6;
  static final int OFF_CREATED = 8;
  static final int OFF_SEQ = 16;
  static final int OFF_ID = 24;
  static final int ID_LENGTH = 24;
  static final int OFF_RECORDS = 48;
  static final int OFF_LENGTH = 52;
  static final int OFF_ENTRIES_CRC = 56;
  static final int OFF_HEADER_CRC = 60;
  /** The longest tag in UTF-8: {@code Tags.MAX_LENGTH} characters of up to three bytes each. */
  static final int MAX_TAG_BYTES = dev.tributary.Tags.MAX_LENGTH * 3;
  static final String SUFFIX = ".tbc";

  final FileChunkStore store;
  final Path path;
  final long seq;
  private FileChannel channel;
  /** The file's mapping while the chunk is open; null once persisted. */
  MappedByteBuffer map;
  /** Where the entries start, and how many bytes of them the mapping holds. */
  int dataOffset;
  int capacity;
  /** Bytes of the disk budget this file holds. */
  private long reserved;
  private boolean deleted;
  String id;
  /** The directory entry of this file is forced (fsync ON_SEAL). */
  volatile boolean dirSynced;

  private ChunkFile(FileChunkStore store, Path path, long seq, long reserved) {
    this.store = store;
    this.path = path;
    this.seq = seq;
    this.reserved = reserved;
  }

  static String name(long seq) {
    String h = Long.toHexString(seq);
    return "0000000000000000".substring(h.length()) + h + SUFFIX;
  }

  /**
   * Makes a spare file of {@code size} bytes whose space is really written, so that a full disk is
   * this method's {@link IOException} and never a fault when the mapping is written, then maps it.
   */
  /** The operating system's usual page size: the step of {@link #prefault()}. */
  private static final int PAGE = 4096;

  static ChunkFile allocate(FileChunkStore store, Path path, long seq, long size, FileChunkStore.Space space)
      throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      ByteBuffer head = ByteBuffer.allocate(HEADER);
      head.putInt(0, MAGIC).put(OFF_VERSION, (byte) VERSION).put(OFF_STATE, SPARE);
      space.allocate(ch, head, size);
      ChunkFile f = new ChunkFile(store, path, seq, size);
      f.channel = ch;
      f.map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
      return f;
    } catch (IOException | RuntimeException e) {
      try {
        ch.close();
      } finally {
        Files.deleteIfExists(path);
      }
      throw e;
    }
  }

  /**
   * Touches every page of the mapping for writing, each byte rewritten as it is, so that the page
   * faults of a fresh mapping are taken here, on the files thread, and not by the application thread
   * whose event first lands on the page. Only for a spare no one else sees yet.
   */
  void prefault() {
    MappedByteBuffer m = map;
    for (int at = 0, n = m.capacity(); at < n; at += PAGE) {
      m.put(at, m.get(at));
    }
  }

  /** A sealed file found at start: not mapped, read when sent. */
  static ChunkFile recovered(FileChunkStore store, Path path, long seq, String id, int dataOffset, int length,
      long size) {
    ChunkFile f = new ChunkFile(store, path, seq, size);
    f.id = id;
    f.dataOffset = dataOffset;
    f.capacity = length;
    return f;
  }

  /** Turns a spare into the open chunk of {@code tag}: the header first, the state last. */
  void begin(byte[] tag, String chunkId, long createdMillis, long order) {
    MappedByteBuffer m = map;
    dataOffset = HEADER + tag.length;
    capacity = m.capacity() - dataOffset;
    id = chunkId;
    m.putShort(OFF_TAG_LENGTH, (short) tag.length);
    m.putLong(OFF_CREATED, createdMillis);
    m.putLong(OFF_SEQ, order);
    m.put(OFF_ID, chunkId.getBytes(StandardCharsets.US_ASCII), 0, ID_LENGTH);
    m.put(HEADER, tag, 0, tag.length);
    byte[] fixed = new byte[OFF_RECORDS];
    m.get(0, fixed, 0, fixed.length);
    m.putInt(OFF_HEADER_CRC, headerCrc(fixed, tag));
    m.put(OFF_STATE, OPEN);
  }

  /** CRC-32C of the fixed header fields (state as 0) and the tag. */
  static int headerCrc(byte[] fixed48, byte[] tag) {
    byte state = fixed48[OFF_STATE];
    fixed48[OFF_STATE] = 0;
    CRC32C crc = new CRC32C();
    crc.update(fixed48, 0, OFF_RECORDS);
    crc.update(tag, 0, tag.length);
    fixed48[OFF_STATE] = state;
    return (int) crc.getValue();
  }

  /** CRC-32C of the entries and then the record count. */
  static int entriesCrc(CRC32C crc, int records) {
    crc.update(records >>> 24);
    crc.update(records >>> 16);
    crc.update(records >>> 8);
    crc.update(records);
    return (int) crc.getValue();
  }

  /** Bytes of the disk budget held now. */
  synchronized long reserved() {
    return reserved;
  }

  /**
   * Seals the file: record count, length and checksum written, the state set to sealed, the file
   * cut to its length and forced if {@code force}, then unmapped. Idempotent; the counts come from
   * the header the appends kept current.
   *
   * @return the bytes of the budget it gave back
   */
  synchronized long persist(boolean force) throws IOException {
    MappedByteBuffer m = map;
    if (m == null || deleted) {
      return 0;
    }
    int records = m.getInt(OFF_RECORDS);
    int length = m.getInt(OFF_LENGTH);
    CRC32C crc = new CRC32C();
    crc.update(m.duplicate().position(dataOffset).limit(dataOffset + length));
    m.putInt(OFF_ENTRIES_CRC, entriesCrc(crc, records));
    m.put(OFF_STATE, SEALED);
    long size = (long) dataOffset + length;
    FileChannel ch = channel;
    // no msync: the fsync below writes back the pages dirtied through the mapping as well
    map = null;
    unmap(m);
    capacity = length;
    try {
      ch.truncate(size);
      if (force) {
        ch.force(true);
      }
    } finally {
      channel = null;
      ch.close();
    }
    long back = reserved - size;
    reserved = size;
    return back;
  }

  /** Forces what the mapping holds (the interval fsync of an open chunk). */
  synchronized void forceMapped() {
    if (map != null && !deleted) {
      map.force();
    }
  }

  /** Writes {@code n} bytes of entries from {@code from} to {@code out}: a read of the file. */
  synchronized void writeTo(int from, int n, OutputStream out) throws IOException {
    if (map != null) {
      byte[] b = new byte[Math.min(n, 64 * 1024)];
      for (int done = 0; done < n; ) {
        int k = Math.min(b.length, n - done);
        map.get(dataOffset + from + done, b, 0, k);
        out.write(b, 0, k);
        done += k;
      }
      return;
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(Math.min(n, 64 * 1024));
      long at = (long) dataOffset + from;
      for (int done = 0; done < n; ) {
        b.clear().limit(Math.min(b.capacity(), n - done));
        int k = ch.read(b, at + done);
        if (k < 0) {
          throw new IOException("chunk file " + path + " is shorter than its entries");
        }
        out.write(b.array(), 0, k);
        done += k;
      }
    }
  }

  /** A copy of {@code n} bytes of entries from {@code from}. */
  byte[] read(int from, int n) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n);
    try {
      writeTo(from, n, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Deletes the file (its chunk was delivered or given up) and gives its budget back. Idempotent.
   *
   * @return the bytes given back
   */
  synchronized long delete() {
    if (deleted) {
      return 0;
    }
    deleted = true;
    MappedByteBuffer m = map;
    map = null;
    if (m != null) {
      unmap(m);
    }
    try {
      if (channel != null) {
        channel.close();
        channel = null;
      }
      Files.deleteIfExists(path);
    } catch (IOException e) {
      store.storageFailed(e);
    }
    long back = reserved;
    reserved = 0;
    return back;
  }

  // ---- unmapping: a mapping otherwise lives until the garbage collector finds its buffer, and
  // with it the disk space of a deleted file and a slot of the process's mapping limit

  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object u = null;
    Method m = null;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      u = f.get(null);
      m = c.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // left to the garbage collector
    }
    UNSAFE = u;
    INVOKE_CLEANER = m;
  }

  static void unmap(MappedByteBuffer b) {
    if (INVOKE_CLEANER != null) {
      try {
        INVOKE_CLEANER.invoke(UNSAFE, b);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // left to the garbage collector
      }
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
