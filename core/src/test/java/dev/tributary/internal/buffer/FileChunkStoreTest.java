package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.FsyncMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The file store's slots: an open chunk is appended into a mapped slot file that, once the sealed
 * chunk is written out to a file of its own, serves the next chunk; recovery never takes what a
 * reused slot still holds of an earlier chunk for events. The store's threads are not started: each
 * test steps them by hand.
 */
class FileChunkStoreTest {

  private static final int CAPACITY = 16 * 1024;
  private static final long FILE = FileChunkStore.fileSize(CAPACITY);

  @TempDir
  Path dir;
  private final List<FileChunkStore> open = new ArrayList<>();

  @AfterEach
  void closeStores() {
    open.forEach(FileChunkStore::close);
  }

  private FileChunkStore store(long budget) {
    FileChunkStore s = FileChunkStore.open(dir, budget, CAPACITY, FsyncMode.ON_SEAL, 1_000_000_000L,
        1_000_000_000L, FileChunkStore.Space.WRITE);
    open.add(s);
    return s;
  }

  private FileChunkStore store() {
    return store(64 * FILE);
  }

  /** Closes {@code s} as a kill would leave its directory: chunks where they are, free slots deleted. */
  private void closeNow(FileChunkStore s) {
    open.remove(s);
    s.close();
  }

  /** One {@code [time, {"v": value}]} entry. */
  private static byte[] entry(long time, String value) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(2).packLong(time).packMapHeader(1).packString("v").packString(value);
      return p.toByteArray();
    }
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static Chunk chunkWith(FileChunkStore s, String tag, byte[]... entries) throws IOException {
    Chunk c = s.open(tag, 0);
    assertNotNull(c);
    for (byte[] e : entries) {
      assertTrue(c.append(e, e.length));
    }
    return c;
  }

  private static byte state(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, ChunkFile.OFF_STATE);
      return b.get(0);
    }
  }

  private List<Path> chunkFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(ChunkFile.SUFFIX)).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void aSealedChunksSlotServesTheNextChunkOnceTheChunkIsWrittenOut() throws IOException {
    FileChunkStore s = store();
    byte[] one = entry(1, "one");
    byte[] two = entry(2, "two");
    Chunk first = chunkWith(s, "app", one, two);
    Path slot = first.file().slotPath();
    s.sealed(first);
    s.fileStep(0);

    assertNull(first.file().slotPath(), "written out");
    Path written = first.file().path;
    assertEquals(ChunkFile.SEALED, state(written));
    assertArrayEquals(concat(one, two), first.toByteArray(), "read from its own file");
    assertEquals(ChunkFile.SPARE, state(slot), "the slot is a spare again");

    Chunk next = s.open("app", 0);
    assertEquals(slot, next.file().slotPath(), "the slot freed first is taken first");
    byte[] three = entry(3, "three");
    assertTrue(next.append(three, three.length));
    assertArrayEquals(three, next.toByteArray());
    assertEquals(ChunkFile.OPEN, state(slot));

    first.free();
    assertFalse(Files.exists(written), "deleted once delivered");
    assertTrue(Files.exists(slot));
  }

  @Test
  void aChunkWrittenOutByTheFlusherIsLeftAloneByTheFilesThreadLater() throws IOException {
    FileChunkStore s = store();
    Chunk first = chunkWith(s, "app", entry(1, "one"));
    s.sealed(first); // queued for the files thread
    s.beforeSend(first); // the flusher got there first
    Chunk next = s.open("app", 0);
    assertNull(first.file().slotPath());
    s.fileStep(0);
    byte[] e = entry(2, "two");
    assertTrue(next.append(e, e.length), "the next chunk's slot is untouched");
    assertEquals(ChunkFile.OPEN, state(next.file().slotPath()));
    assertEquals(1, first.records());
  }

  @Test
  void recoveryReadsAReusedSlotOnlyUpToItsRecordedLength() throws IOException {
    FileChunkStore s = store();
    byte[][] old = {entry(1, "a much longer old event"), entry(2, "another old event"), entry(3, "a third")};
    Chunk first = chunkWith(s, "old", old);
    s.sealed(first);
    s.fileStep(0);
    Chunk next = s.open("new", 0);
    assertNull(first.file().slotPath());
    byte[] e = entry(4, "new");
    assertTrue(next.append(e, e.length)); // the old entries lie on beyond it in the slot
    closeNow(s);

    FileChunkStore again = store();
    List<Chunk> found = again.recover(() -> 0L);
    assertEquals(2, found.size(), found.toString());
    assertEquals("old", found.get(0).tag(), "sealed first");
    assertArrayEquals(concat(old), found.get(0).toByteArray());
    Chunk c = found.get(1);
    assertEquals("new", c.tag());
    assertEquals(1, c.records());
    assertArrayEquals(e, c.toByteArray());
    assertEquals(0, again.quarantinedChunks());
  }

  /**
   * A chunk left open in a reused slot is trusted after a process kill (the page cache kept every
   * byte) but not after the machine restarted (the disk may have its length with an older chunk's
   * entries): then it is quarantined, the sealed chunks still sent.
   */
  @Test
  void aChunkLeftOpenBeforeTheMachineRestartedIsQuarantinedNotSent() throws IOException {
    String boot = FileChunkStore.currentBootId();
    org.junit.jupiter.api.Assumptions.assumeTrue(boot != null, "the system names no boot");
    for (boolean restarted : new boolean[] {false, true}) {
      FileChunkStore s = store();
      s.recover(() -> 0L);
      assertEquals(boot, Files.readString(dir.resolve(FileChunkStore.BOOT_FILE)).trim());
      byte[] old = entry(1, "delivered long ago, still in the slot");
      Chunk first = chunkWith(s, "old", old);
      s.sealed(first);
      s.fileStep(0);
      Chunk next = s.open("new", 0);
      byte[] e = entry(2, "new");
      assertTrue(next.append(e, e.length));
      closeNow(s);
      if (restarted) {
        Files.writeString(dir.resolve(FileChunkStore.BOOT_FILE), "a-boot-before-a-power-loss");
      }

      FileChunkStore again = store();
      List<Chunk> found = again.recover(() -> 0L);
      assertEquals(restarted ? 1 : 2, found.size(), found.toString());
      assertEquals("old", found.get(0).tag());
      assertArrayEquals(old, found.get(0).toByteArray());
      assertEquals(restarted ? 1 : 0, again.quarantinedChunks());
      assertEquals(boot, Files.readString(dir.resolve(FileChunkStore.BOOT_FILE)).trim(), "this boot, for the next start");
      if (restarted) {
        try (Stream<Path> q = Files.list(dir.resolve(FileChunkStore.QUARANTINE))) {
          assertEquals(1, q.count(), "kept, never deleted");
        }
      } else {
        assertArrayEquals(e, found.get(1).toByteArray());
      }
      for (Chunk c : found) {
        c.file().delete();
      }
      closeNow(again);
    }
  }

  @Test
  void recoveryDeletesAFreeSlotWithItsOldEntries() throws IOException {
    FileChunkStore s = store();
    Chunk first = chunkWith(s, "old", entry(1, "an old event"), entry(2, "another"));
    Path slot = first.file().slotPath();
    s.sealed(first);
    s.fileStep(0);
    // what a kill would leave: the store deletes its free slots when closed, so keep a copy of this one
    Path copy = dir.resolve("copy");
    Files.copy(slot, copy);
    closeNow(s);
    Files.move(copy, slot);
    assertEquals(ChunkFile.SPARE, state(slot));

    FileChunkStore again = store();
    List<Chunk> found = again.recover(() -> 0L);
    assertEquals(1, found.size(), "the written-out chunk only");
    assertEquals(2, found.get(0).records());
    assertFalse(Files.exists(slot), "deleted, not sent and not quarantined");
    assertEquals(0, again.quarantinedChunks());
  }

  @Test
  void aKillBetweenTheWriteOutAndClearingTheSlotRecoversTheChunkOnce() throws IOException {
    FileChunkStore s = store();
    Chunk first = chunkWith(s, "app", entry(1, "one"), entry(2, "two"));
    Path slot = first.file().slotPath();
    Path copy = dir.resolve("copy");
    Files.copy(slot, copy); // the slot as it was before it was cleared
    s.sealed(first);
    s.fileStep(0);
    closeNow(s);
    Files.move(copy, dir.resolve(ChunkFile.name(0xffff)));

    FileChunkStore again = store();
    List<Chunk> found = again.recover(() -> 0L);
    assertEquals(1, found.size(), found.toString());
    assertEquals(first.storedId(), found.get(0).storedId());
    assertEquals(List.of(first.file().path), chunkFiles(), "the slot's copy deleted");
  }

  @Test
  void aChunkThatCannotBeWrittenOutStaysInItsSlotIsReadFromThereAndGivesItBackWhenDelivered()
      throws IOException {
    FileChunkStore s = store(2 * FILE); // two slots and nothing more: no room to write a chunk out
    byte[] e = entry(1, "one");
    Chunk first = chunkWith(s, "app", e);
    Chunk second = chunkWith(s, "app", entry(2, "two"));
    assertNull(s.open("app", 0), "the budget is spent");
    s.sealed(first);
    s.fileStep(0);
    assertTrue(first.file().inSlot());
    assertArrayEquals(e, first.toByteArray());
    first.free(); // delivered
    assertEquals(1, s.freeSlots());
    assertNotNull(s.open("app", 0), "its slot serves the next chunk");
    assertEquals(1, second.records());
  }

  @Test
  void freeSlotsThePoolNeverNeededAreTrimmedBackToTheStandingNumber() throws IOException {
    FileChunkStore s = store();
    List<Chunk> burst = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      burst.add(chunkWith(s, "app", entry(i, "x")));
    }
    burst.forEach(s::sealed);
    s.fileStep(0);
    assertEquals(30, s.freeSlots(), "every slot of the burst kept");
    long t = 0;
    for (int i = 0; i < 8 && s.freeSlots() > 4; i++) {
      t += 31_000_000_000L;
      s.fileStep(t);
    }
    assertEquals(4, s.freeSlots(), "what the pool never needed is deleted");
    assertEquals(4 + 30, chunkFiles().size(), "the free slots and the written chunks");
  }
}
