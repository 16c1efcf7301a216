package dev.tributary.internal.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Reads the chunk files a previous run left in the directory ({@link ChunkFile} has the format):
 * a sealed file whose header and checksum hold is queued as it is; an open one is read up to its
 * last complete entry, the torn tail cut off, and sealed (unless the machine restarted since: then
 * it is quarantined, see {@link FileChunkStore#BOOT_FILE}); a spare (no events) is deleted; anything
 * else (too short for its header, bad magic, unknown version, corrupt header, bad checksum) is
 * moved to {@code quarantine/}, never deleted. Files not named {@code *.tbc} are left alone.
 *
 * <p>Used once, by {@link FileChunkStore#recover}, before any chunk is opened; not thread safe.
 */
final class ChunkRecovery {

  record Found(ChunkFile file, String tag, int length, int records, boolean wasOpen, long order) {}

  private final FileChunkStore store;
  private final Path dir;
  private final boolean force;
  /** Whether the machine restarted since the chunks were written: open ones cannot be trusted then. */
  private final boolean machineRestarted;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
  private long maxSeq = -1;

  ChunkRecovery(FileChunkStore store, Path dir, boolean force, boolean machineRestarted) {
    this.store = store;
    this.dir = dir;
    this.force = force;
    this.machineRestarted = machineRestarted;
  }

  long maxSeq() {
    return maxSeq;
  }

  /** Sealed chunks oldest first, then the chunks that were open, oldest first. */
  List<Found> scan() {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + ChunkFile.SUFFIX)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("bufferPath " + dir + " cannot be read: " + e, e);
    }
    List<Found> found = new ArrayList<>();
    for (Path p : files) {
      noteSeq(p);
      Found f;
      try {
        f = read(p);
      } catch (IOException e) {
        f = null;
        quarantine(p, "cannot be read: " + e);
      }
      if (f != null) {
        found.add(f);
      }
    }
    dropWrittenOut(found);
    found.sort(Comparator.comparing(Found::wasOpen).thenComparingLong(Found::order));
    return found;
  }

  /**
   * Deletes the open chunks that were also written out to a file of their own (a kill after the
   * write and before their slot was cleared): the written file holds every entry, the slot no more.
   */
  private static void dropWrittenOut(List<Found> found) {
    java.util.Set<String> sealedIds = new java.util.HashSet<>();
    for (Found f : found) {
      if (!f.wasOpen()) {
        sealedIds.add(f.file().id);
      }
    }
    found.removeIf(f -> {
      if (f.wasOpen() && sealedIds.contains(f.file().id)) {
        f.file().delete();
        return true;
      }
      return false;
    });
  }

  private void noteSeq(Path p) {
    String n = p.getFileName().toString();
    try {
      maxSeq = Math.max(maxSeq, Long.parseUnsignedLong(n.substring(0, n.length() - ChunkFile.SUFFIX.length()), 16));
    } catch (NumberFormatException e) {
      // a name of our suffix we did not make: new files get other names anyway
    }
  }

  private Found read(Path p) throws IOException {
    long size;
    String problem;
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      size = ch.size();
      if (size < ChunkFile.HEADER) {
        problem = "truncated header: " + size + " bytes";
      } else {
        ByteBuffer h = ByteBuffer.allocate(ChunkFile.HEADER);
        readFully(ch, h, 0);
        problem = check(h, size);
        if (problem == null) {
          return read(p, ch, h, size); // null when it was deleted or quarantined there
        }
      }
    }
    quarantine(p, problem);
    return null;
  }

  /** What is wrong with the fixed header, or null. */
  private static String check(ByteBuffer h, long size) {
    if (h.getInt(0) != ChunkFile.MAGIC) {
      return "not a chunk file (bad magic)";
    }
    if (h.get(ChunkFile.OFF_VERSION) != ChunkFile.VERSION) {
      return "unknown format version " + h.get(ChunkFile.OFF_VERSION);
    }
    byte state = h.get(ChunkFile.OFF_STATE);
    if (state == ChunkFile.SPARE) {
      return null;
    }
    if (state != ChunkFile.OPEN && state != ChunkFile.SEALED) {
      return "corrupt header (state " + state + ")";
    }
    int tagLength = h.getShort(ChunkFile.OFF_TAG_LENGTH) & 0xffff;
    if (tagLength == 0 || tagLength > ChunkFile.MAX_TAG_BYTES || ChunkFile.HEADER + tagLength > size) {
      return "truncated or corrupt header (tag of " + tagLength + " bytes)";
    }
    return null;
  }

  private Found read(Path p, FileChannel ch, ByteBuffer h, long size) throws IOException {
    byte state = h.get(ChunkFile.OFF_STATE);
    long order = h.getLong(ChunkFile.OFF_SEQ);
    maxSeq = Math.max(maxSeq, order);
    if (state == ChunkFile.SPARE) {
      ch.close();
      Files.delete(p); // made ahead, never used: holds no event
      return null;
    }
    int tagLength = h.getShort(ChunkFile.OFF_TAG_LENGTH) & 0xffff;
    ByteBuffer tagBuf = ByteBuffer.allocate(tagLength);
    readFully(ch, tagBuf, ChunkFile.HEADER);
    byte[] tag = tagBuf.array();
    byte[] fixed = new byte[ChunkFile.OFF_RECORDS];
    h.get(0, fixed, 0, fixed.length);
    if (ChunkFile.headerCrc(fixed, tag) != h.getInt(ChunkFile.OFF_HEADER_CRC)) {
      quarantine(ch, p, "corrupt header (checksum)");
      return null;
    }
    String id = new String(h.array(), ChunkFile.OFF_ID, ChunkFile.ID_LENGTH, StandardCharsets.US_ASCII);
    int dataOffset = ChunkFile.HEADER + tagLength;
    int records = h.getInt(ChunkFile.OFF_RECORDS);
    int length = h.getInt(ChunkFile.OFF_LENGTH);
    String tagText = new String(tag, StandardCharsets.UTF_8);
    if (state == ChunkFile.SEALED) {
      if (length < 0 || records <= 0 || dataOffset + (long) length > size) {
        quarantine(ch, p, "truncated entries: " + length + " bytes of entries in a file of " + size);
        return null;
      }
      if (crc(ch, dataOffset, length, records) != h.getInt(ChunkFile.OFF_ENTRIES_CRC)) {
        quarantine(ch, p, "bad checksum");
        return null;
      }
      ChunkFile f = ChunkFile.recovered(store, p, id, dataOffset, length, size);
      return new Found(f, tagText, length, records, false, order);
    }
    if (machineRestarted) {
      quarantine(ch, p, "open when the machine restarted: its entries were never forced to disk, and what the"
          + " disk has may mix in an earlier chunk's (the file was a reused slot); kept here, not sent");
      return null;
    }
    // open: the entries up to the length the appends last wrote, cut at the last complete one
    long avail = Math.max(0, Math.min((long) Math.max(length, 0), size - dataOffset));
    byte[] entries = new byte[(int) avail];
    readFully(ch, ByteBuffer.wrap(entries), dataOffset);
    int[] cut = completeEntries(entries);
    records = cut[0];
    length = cut[1];
    if (records == 0) {
      ch.close();
      Files.delete(p); // opened, nothing complete in it
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(entries, 0, length);
    ByteBuffer w = ByteBuffer.allocate(12);
    w.putInt(0, records).putInt(4, length).putInt(8, ChunkFile.entriesCrc(crc, records));
    ChunkFile.writeFully(ch, w, ChunkFile.OFF_RECORDS);
    ChunkFile.writeFully(ch, ByteBuffer.wrap(new byte[] {ChunkFile.SEALED}), ChunkFile.OFF_STATE);
    ch.truncate(dataOffset + (long) length);
    if (force) {
      ch.force(true);
    }
    ChunkFile f = ChunkFile.recovered(store, p, id, dataOffset, length, dataOffset + (long) length);
    return new Found(f, tagText, length, records, true, order);
  }

  /**
   * The number and length of the complete {@code [time, record]} entries at the start of {@code b}.
   * The bytes after the last one (a torn entry, zeros) are not counted.
   */
  static int[] completeEntries(byte[] b) {
    int records = 0;
    int good = 0;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b)) {
      while (u.hasNext()) {
        MessageFormat f = u.getNextFormat();
        if (f.getValueType() != ValueType.ARRAY || u.unpackArrayHeader() != 2) {
          break;
        }
        MessageFormat t = u.getNextFormat();
        if (t.getValueType() != ValueType.EXTENSION && t.getValueType() != ValueType.INTEGER) {
          break;
        }
        u.skipValue();
        if (u.getNextFormat().getValueType() != ValueType.MAP) {
          break;
        }
        u.skipValue();
        records++;
        good = (int) u.getTotalReadBytes();
      }
    } catch (IOException | MessagePackException e) {
      // the torn entry ends the walk
    }
    return new int[] {records, good};
  }

  private int crc(FileChannel ch, long from, int length, int records) throws IOException {
    CRC32C crc = new CRC32C();
    long at = from;
    long end = from + length;
    while (at < end) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - at));
      int n = ch.read(buf, at);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      buf.flip();
      crc.update(buf);
      at += n;
    }
    return ChunkFile.entriesCrc(crc, records);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private void quarantine(FileChannel ch, Path p, String reason) throws IOException {
    ch.close();
    quarantine(p, reason);
  }

  /** Moves an unreadable file aside under {@code quarantine/}, never deleting it. */
  private void quarantine(Path p, String reason) {
    long bytes;
    try {
      bytes = Files.size(p);
    } catch (IOException e) {
      bytes = 0;
    }
    Path q = dir.resolve(FileChunkStore.QUARANTINE);
    Path to = q.resolve(p.getFileName());
    try {
      Files.createDirectories(q);
      for (int i = 1; ; i++) {
        try {
          Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
          break;
        } catch (FileAlreadyExistsException e) {
          to = q.resolve(p.getFileName() + "." + i);
        }
      }
    } catch (IOException e) {
      reason = reason + "; could not be moved to " + q + " (" + e + "), left in place";
      to = p;
    }
    store.quarantined(to, bytes, reason);
  }
}
