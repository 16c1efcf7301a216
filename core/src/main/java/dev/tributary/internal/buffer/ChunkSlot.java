package dev.tributary.internal.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A mapped file an open chunk is appended into, in the {@link ChunkFile} format. A slot is made
 * once (every byte written, so a full disk is an {@link IOException} here and never a fault in
 * {@code emit}), mapped and faulted in once, and then serves chunk after chunk: once a chunk is
 * sealed its entries are written out to a file of its own and the slot is {@linkplain #clear()
 * cleared} for the next. The mapping is never unmapped nor forced while the store lives, so its page
 * table entries stay as they are and appends cost a copy, as in memory; a mapping made or
 * write-protected anew costs a page fault per page, which on some virtual machines is tens of
 * microseconds.
 *
 * <p>A slot holds a chunk in state open until its entries are written out, so a kill at any point
 * leaves them on disk: in the slot (recovered like any open chunk file), in the written file, or in
 * both (recovery keeps the written one). A cleared slot is in state spare and holds the old entries
 * of its last chunk beyond a recorded length of 0, which recovery never reads.
 *
 * <p>Not thread safe: the store hands a slot to one chunk at a time.
 */
final class ChunkSlot {

  /** The operating system's usual page size: the step of {@link #prefault()}. */
  private static final int PAGE = 4096;

  final Path path;
  final MappedByteBuffer map;
  /** Bytes of the disk budget the slot holds, the file's size. */
  final long size;

  private ChunkSlot(Path path, MappedByteBuffer map, long size) {
    this.path = path;
    this.map = map;
    this.size = size;
  }

  /**
   * Makes a slot file of {@code size} bytes whose space is really written and maps it; faults its
   * pages in if {@code prefault} (the files thread; an application thread that has to make a slot
   * leaves the faults to its appends, which touch only the pages they fill).
   */
  static ChunkSlot create(Path path, long size, FileChunkStore.Space space, boolean prefault) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    MappedByteBuffer m;
    try {
      ByteBuffer head = ByteBuffer.allocate(ChunkFile.HEADER);
      head.putInt(0, ChunkFile.MAGIC).put(ChunkFile.OFF_VERSION, (byte) ChunkFile.VERSION)
          .put(ChunkFile.OFF_STATE, ChunkFile.SPARE);
      space.allocate(ch, head, size);
      m = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
    } catch (IOException | RuntimeException e) {
      try {
        ch.close();
      } finally {
        Files.deleteIfExists(path);
      }
      throw e;
    }
    ch.close(); // the mapping outlives the descriptor
    ChunkSlot s = new ChunkSlot(path, m, size);
    if (prefault) {
      s.prefault();
    }
    return s;
  }

  /**
   * Touches every page of the mapping for writing, each byte rewritten as it is, so that the page
   * faults are taken once, by the thread that makes the slot, and not by the application thread
   * whose event first lands on the page.
   */
  private void prefault() {
    MappedByteBuffer m = map;
    for (int at = 0, n = m.capacity(); at < n; at += PAGE) {
      m.put(at, m.get(at));
    }
  }

  /**
   * Makes the slot a spare again once its chunk is elsewhere (written out, or freed): the state
   * first, so that recovery from now on deletes the file, then no entries.
   */
  void clear() {
    map.put(ChunkFile.OFF_STATE, ChunkFile.SPARE);
    map.putInt(ChunkFile.OFF_RECORDS, 0);
    map.putInt(ChunkFile.OFF_LENGTH, 0);
  }

  /** Unmaps and deletes the slot file (a spare slot: store closed, or slots trimmed). */
  void delete() throws IOException {
    ChunkFile.unmap(map);
    Files.deleteIfExists(path);
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
