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
 * PackedForward request carries them. While the chunk is open it lives in a {@link ChunkSlot}, a
 * mapped file of that format that {@link Chunk} appends straight into; once sealed its entries are
 * {@linkplain #writeOut written out} to a file of its own (header completed, cut to its length,
 * forced as the fsync mode says), the slot goes to the next chunk, and a send reads the file.
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
 * 48  4  record count      (written at seal; an open chunk's entries are counted at recovery)
 * 52  4  entries length    (open: updated after each append; entries beyond it are not the chunk's)
 * 56  4  CRC-32C of the entries then the record count (sealed only)
 * 60  4  CRC-32C of bytes 0..47 with the state byte as 0, then the tag
 * 64     tag, then the entries
 * </pre>
 *
 * <p>Thread safety: the mapping is written by the appending thread under its stripe lock; {@link
 * #writeOut}, the reads and {@link #delete} synchronize on this object, so a slot is never handed
 * to the next chunk under a reader.
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
  /** The written file: null while the entries are only in the slot. */
  volatile Path path;
  /** The slot the chunk is appended into, until its entries are written out; then null. */
  private ChunkSlot slot;
  /** The slot's mapping while the chunk is in it; null once written out. */
  MappedByteBuffer map;
  /** Where the entries start, and how many bytes of them the mapping holds. */
  int dataOffset;
  int capacity;
  /** Bytes of the disk budget the written file holds (the slot's are the slot's). */
  private long reserved;
  private boolean deleted;
  private boolean forced;
  String id;
  /** The directory entry of the written file is forced (fsync ON_SEAL). */
  volatile boolean dirSynced;

  private ChunkFile(FileChunkStore store, Path path, long reserved) {
    this.store = store;
    this.path = path;
    this.reserved = reserved;
  }

  static String name(long seq) {
    String h = Long.toHexString(seq);
    return "0000000000000000".substring(h.length()) + h + SUFFIX;
  }

  /** A sealed file found at start: read when sent. */
  static ChunkFile recovered(FileChunkStore store, Path path, String id, int dataOffset, int length, long size) {
    ChunkFile f = new ChunkFile(store, path, size);
    f.id = id;
    f.dataOffset = dataOffset;
    f.capacity = length;
    f.forced = true;
    f.dirSynced = true;
    return f;
  }

  /**
   * A new open chunk of {@code tag} in {@code slot}: the header first, the state last. The slot
   * still holds an earlier chunk's entries; the count and length are zero before the state says
   * open, so recovery reads none of them.
   */
  static ChunkFile open(FileChunkStore store, ChunkSlot slot, byte[] tag, String chunkId, long createdMillis,
      long order) {
    ChunkFile f = new ChunkFile(store, null, 0);
    f.slot = slot;
    MappedByteBuffer m = slot.map;
    f.map = m;
    f.dataOffset = HEADER + tag.length;
    f.capacity = m.capacity() - f.dataOffset;
    f.id = chunkId;
    m.putInt(OFF_RECORDS, 0);
    m.putInt(OFF_LENGTH, 0);
    m.putInt(OFF_ENTRIES_CRC, 0);
    m.putShort(OFF_TAG_LENGTH, (short) tag.length);
    m.putLong(OFF_CREATED, createdMillis);
    m.putLong(OFF_SEQ, order);
    m.put(OFF_ID, chunkId.getBytes(StandardCharsets.US_ASCII), 0, ID_LENGTH);
    m.put(HEADER, tag, 0, tag.length);
    byte[] fixed = new byte[OFF_RECORDS];
    m.get(0, fixed, 0, fixed.length);
    m.putInt(OFF_HEADER_CRC, headerCrc(fixed, tag));
    m.put(OFF_STATE, OPEN);
    return f;
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

  /** Bytes of the disk budget held now by the written file. */
  synchronized long reserved() {
    return reserved;
  }

  /** Bytes of the budget the chunk holds: its slot's while it is in one, else its file's. */
  synchronized long holds() {
    return slot != null ? slot.size : reserved;
  }

  /** The bytes the written file of this sealed chunk will have, or -1 when it is not in a slot. */
  synchronized long sealedSize() {
    return map == null || deleted ? -1 : (long) dataOffset + map.getInt(OFF_LENGTH);
  }

  /** The slot's file while the chunk is in one, else null (tests). */
  synchronized Path slotPath() {
    return slot != null ? slot.path : null;
  }

  /** Whether the entries are still only in the slot. */
  synchronized boolean inSlot() {
    return slot != null;
  }

  /**
   * Writes a sealed chunk's entries out of its slot to a file of its own, {@code target}, and gives
   * the slot back to the store. The file is written with its header in state spare, then the tag
   * and the entries, then the state set to sealed: a kill before that leaves a spare, which recovery
   * deletes (the slot still holds the chunk). Not forced here ({@link #force}). The counts come from
   * the header the appends kept current.
   *
   * @return false, with the chunk left in its slot (sent from there), when the file could not be
   *     written (a full disk: the partial file deleted) or was written already
   */
  synchronized boolean writeOut(Path target) throws IOException {
    MappedByteBuffer m = map;
    if (m == null || deleted) {
      return false;
    }
    int records = m.getInt(OFF_RECORDS);
    int length = m.getInt(OFF_LENGTH);
    CRC32C crc = new CRC32C();
    crc.update(m.duplicate().position(dataOffset).limit(dataOffset + length));
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    m.get(0, head.array(), 0, HEADER);
    head.putInt(OFF_ENTRIES_CRC, entriesCrc(crc, records));
    head.put(OFF_STATE, SPARE);
    long size = (long) dataOffset + length;
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      writeFully(ch, head, 0);
      writeFully(ch, m.duplicate().position(HEADER).limit((int) size), HEADER);
      writeFully(ch, ByteBuffer.wrap(new byte[] {SEALED}), OFF_STATE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(target);
      throw e;
    }
    path = target;
    reserved = size;
    capacity = length;
    map = null;
    ChunkSlot s = slot;
    slot = null;
    store.slotFree(s);
    return true;
  }

  /** Writes what remains of {@code b} at {@code at} in the file (its first remaining byte there). */
  static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long base = at - b.position();
    while (b.hasRemaining()) {
      ch.write(b, base + b.position());
    }
  }

  /** Forces the written file to the disk, once; false when there is none (yet) or it was forced. */
  synchronized boolean force() throws IOException {
    if (forced || deleted || path == null) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    forced = true;
    return true;
  }

  /** Forces what the slot's mapping holds (the interval fsync of an open chunk). */
  synchronized void forceMapped() {
    if (map != null && !deleted) {
      map.force();
    }
  }

  /** Writes {@code n} bytes of entries from {@code from} to {@code out}: a read of the slot or the file. */
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
   * Deletes the chunk (delivered or given up): its written file, or, while it is still in its slot,
   * the slot goes back to the store. Gives its budget back. Idempotent.
   *
   * @return the bytes given back
   */
  synchronized long delete() {
    if (deleted) {
      return 0;
    }
    deleted = true;
    ChunkSlot s = slot;
    slot = null;
    map = null;
    if (s != null) {
      store.slotFree(s);
    }
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        store.storageFailed(e);
      }
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
    Path p = path;
    return p != null ? p.toString() : "slot " + slot;
  }
}
