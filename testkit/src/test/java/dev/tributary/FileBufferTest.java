package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.internal.buffer.FileChunkStore;
import dev.tributary.testkit.Await;
import dev.tributary.testkit.ChildJvm;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import dev.tributary.testkit.ReceivedRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file buffer: chunks in files, kept across restarts, recovered or quarantined, within a disk budget. */
class FileBufferTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private Tributary.Builder client(ForwardServer server) {
    return Tributary.builder().server("127.0.0.1", server.port())
        .bufferPath(dir)
        .retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(100))
        .flushInterval(Duration.ofMillis(20))
        .heartbeatType(HeartbeatType.NONE)
        .listener(TributaryListener.NONE);
  }

  private static void emitNumbered(Tributary t, int from, int to) {
    for (int i = from; i < to; i++) {
      t.emit("file.test", Map.of("seq", i, "text", "some text of an event"));
    }
  }

  private static Set<Long> seqs(List<ReceivedEvent> events) {
    Set<Long> s = new HashSet<>();
    for (ReceivedEvent e : events) {
      s.add((Long) e.get("seq"));
    }
    return s;
  }

  private List<Path> chunkFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tbc")).sorted().collect(Collectors.toList());
    }
  }

  /** Leaves {@code n} events in chunk files of {@code perChunk} events each, as a run whose server was down. */
  private void leaveOnDisk(int n, int perChunk) {
    try (ForwardServer down = ForwardServer.start()) {
      down.stop();
      // chunks of exactly perChunk records: none sealed by age while they are emitted (flush() seals)
      try (Tributary t = client(down).chunkMaxRecords(perChunk).flushInterval(Duration.ofSeconds(10)).build()) {
        emitNumbered(t, 0, n);
        t.flush();
        assertEquals(0, t.close(Duration.ofMillis(200)), "nothing lost at close");
        assertEquals(n, t.metrics().keptOnDiskEvents());
        Accounting.assertIdentity(t.metrics());
      }
    }
  }

  @Test
  void eventsAreDeliveredFromFilesAndEveryFileIsDeletedAfterItsAck() throws IOException {
    try (ForwardServer server = ForwardServer.start()) {
      try (Tributary t = client(server).chunkMaxRecords(100).build()) {
        emitNumbered(t, 0, 1000);
        t.flush();
        server.awaitEvents(1000, WAIT);
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      }
      assertEquals(Set.copyOf(seqs(server.events())).size(), 1000);
      assertEquals(List.of(), chunkFiles(), "every chunk file deleted once acked; spares at close");
      assertTrue(Files.exists(dir.resolve(FileChunkStore.LOCK_FILE)));
    }
  }

  @Test
  void withAcksOffAFileIsDeletedOnceWrittenAndNoAckIsAskedFor() throws IOException {
    try (ForwardServer server = ForwardServer.start()) {
      try (Tributary t = client(server).requireAck(false).build()) {
        emitNumbered(t, 0, 50);
        t.flush();
        server.awaitEvents(50, WAIT);
        t.close(WAIT);
      }
      assertTrue(server.requests().stream().allMatch(r -> r.chunkId() == null), "no chunk option without acks");
      assertEquals(List.of(), chunkFiles());
    }
  }

  @Test
  void closeKeepsWhatWasNotDeliveredAndTheNextStartSendsIt() throws IOException {
    leaveOnDisk(250, 50);
    assertEquals(5, chunkFiles().size(), "five sealed chunk files left");
    try (ForwardServer server = ForwardServer.start()) {
      try (Tributary t = client(server).build()) {
        Await.until("the recovered events", WAIT, () -> seqs(server.events()).size() == 250);
        assertEquals(250, t.metrics().recoveredEvents());
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      }
      // oldest chunk first: the events arrive in the order they were emitted
      List<Long> order = new ArrayList<>();
      for (ReceivedEvent e : server.events()) {
        order.add((Long) e.get("seq"));
      }
      for (int i = 0; i < order.size(); i++) {
        assertEquals((long) i, order.get(i));
      }
    }
    assertEquals(List.of(), chunkFiles());
  }

  @Test
  void aChunkResentAfterARestartCarriesTheIdItWasMadeWith() throws IOException {
    String id;
    try (ForwardServer silent = ForwardServer.builder().ackDelay(Duration.ofMinutes(10)).build()) {
      try (Tributary t = client(silent).build()) {
        emitNumbered(t, 0, 10);
        t.flush();
        ReceivedRequest r = silent.awaitRequests(1, WAIT).get(0);
        id = r.chunkId();
        assertEquals(0, t.close(Duration.ofMillis(200)));
        assertEquals(10, t.metrics().keptOnDiskEvents());
      }
    }
    try (ForwardServer server = ForwardServer.start()) {
      try (Tributary t = client(server).build()) {
        ReceivedRequest r = server.awaitRequests(1, WAIT).get(0);
        assertEquals(id, r.chunkId(), "the same chunk id after the restart");
        assertEquals(10, r.eventCount());
        t.close(WAIT);
      }
    }
  }

  @Test
  void aChunkTheServerRefusesIsSplitAndEveryEventStillArrives() throws IOException {
    try (ForwardServer server = ForwardServer.builder().dropRequestsOver(1024).build()) {
      try (Tributary t = client(server).ackTimeout(Duration.ofMillis(300)).build()) {
        for (int i = 0; i < 100; i++) {
          t.emit("file.test", Map.of("seq", i, "text", "t".repeat(150)));
        }
        t.flush();
        Await.until("all 100 events", WAIT, () -> seqs(server.events()).size() == 100);
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      }
      assertTrue(server.requests().stream().anyMatch(ReceivedRequest::dropped));
    }
    assertEquals(List.of(), chunkFiles(), "the file went once both halves were acked");
  }

  @Test
  void unreadableFilesAreQuarantinedAndTheValidRestIsDelivered() throws IOException {
    leaveOnDisk(50, 10); // five chunks of ten events: seq 0-9, 10-19, ...
    List<Path> files = new ArrayList<>(chunkFiles());
    files.sort(java.util.Comparator.comparingLong(FileBufferTest::firstSeq)); // names need not follow the events
    assertEquals(5, files.size());
    corruptHeader(files.get(1)); // seq 10-19 quarantined
    corruptEntry(files.get(2)); // seq 20-29 quarantined: bad checksum
    tearLastEntry(files.get(3)); // seq 30-38 delivered, 39 torn off
    Files.write(dir.resolve("00000000000000f0.tbc"), new byte[0]); // zero length
    Files.writeString(dir.resolve("notes.tbc"), "not a chunk file at all, just some text that is long enough"
        + " for a header of sixty-four bytes");
    Files.writeString(dir.resolve("other.txt"), "left alone");
    List<String> told = new CopyOnWriteArrayList<>();
    try (ForwardServer server = ForwardServer.start()) {
      TributaryListener listener = new TributaryListener() {
        @Override
        public void onChunkQuarantined(String file, long bytes, String reason) {
          told.add(Path.of(file).getFileName() + ": " + reason);
        }
      };
      try (Tributary t = client(server).listener(listener).build()) {
        Set<Long> expected = new HashSet<>();
        for (long i = 0; i < 10; i++) {
          expected.add(i);
        }
        for (long i = 30; i < 50; i++) {
          expected.add(i);
        }
        expected.remove(39L);
        Await.until("the valid events", WAIT, () -> seqs(server.events()).equals(expected));
        TributaryMetrics m = t.metrics();
        assertEquals(4, m.quarantinedChunks(), m.toString());
        assertTrue(m.quarantinedBytes() > 0);
        assertEquals(29, m.recoveredEvents());
        Await.until("the listener told of four files", WAIT, () -> told.size() == 4);
        t.close(WAIT);
        Accounting.assertSettled(t.metrics());
      }
    }
    assertTrue(told.stream().anyMatch(s -> s.contains("corrupt header")), told.toString());
    assertTrue(told.stream().anyMatch(s -> s.contains("bad checksum")), told.toString());
    assertTrue(told.stream().anyMatch(s -> s.contains("truncated header")), told.toString());
    assertTrue(told.stream().anyMatch(s -> s.contains("bad magic")), told.toString());
    try (Stream<Path> q = Files.list(dir.resolve(FileChunkStore.QUARANTINE))) {
      assertEquals(4, q.count(), "quarantined, never deleted");
    }
    assertTrue(Files.exists(dir.resolve("other.txt")));
    assertEquals(List.of(), chunkFiles());
  }

  /** The {@code seq} of a chunk file's first event. */
  private static long firstSeq(Path p) {
    try {
      byte[] b = Files.readAllBytes(p);
      int tagLength = ByteBuffer.wrap(b).getShort(6);
      try (org.msgpack.core.MessageUnpacker u =
          org.msgpack.core.MessagePack.newDefaultUnpacker(b, 64 + tagLength, b.length - 64 - tagLength)) {
        u.unpackArrayHeader();
        u.skipValue();
        int n = u.unpackMapHeader();
        for (int i = 0; i < n; i++) {
          String k = u.unpackString();
          if (k.equals("seq")) {
            return u.unpackLong();
          }
          u.skipValue();
        }
      }
      throw new AssertionError("no seq in " + p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void corruptHeader(Path p) throws IOException {
    flip(p, 70); // a byte of the tag, covered by the header checksum
  }

  private static void corruptEntry(Path p) throws IOException {
    flip(p, Files.size(p) - 3);
  }

  private static void flip(Path p, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x5a)).position(0);
      ch.write(b, at);
    }
  }

  /** Turns a sealed file into an open one whose length ends inside its last entry. */
  private static void tearLastEntry(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer h = ByteBuffer.allocate(64);
      ch.read(h, 0);
      int length = h.getInt(52);
      ch.write(ByteBuffer.wrap(new byte[] {1}), 5); // state: open
      ch.write(ByteBuffer.allocate(4).putInt(0, length - 3), 52);
    }
  }

  @Test
  void aSecondInstanceOnTheSameDirectoryIsRefusedNamingIt() throws Exception {
    try (ForwardServer server = ForwardServer.start();
        Tributary first = client(server).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> client(server).name("second").build());
      assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
      ChildJvm.Result r = ChildJvm.run(LockChild.class, WAIT, List.of(), dir.toString(),
          Integer.toString(server.port()));
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("refused: bufferPath " + dir.toAbsolutePath()), r.output());
    }
  }

  /** Another process trying the directory an instance of the test holds. */
  public static final class LockChild {
    public static void main(String[] args) {
      try (Tributary t = Tributary.builder().server("127.0.0.1", Integer.parseInt(args[1]))
          .bufferPath(Path.of(args[0])).heartbeatType(HeartbeatType.NONE).build()) {
        System.out.println("started, which it should not");
      } catch (IllegalArgumentException e) {
        System.out.println("refused: " + e.getMessage());
      }
    }
  }

  @Test
  void aDirectoryThatCannotBeMadeIsAClearErrorAtBuild() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path under = file.resolve("buffer");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tributary.builder().server("127.0.0.1", 24224).bufferPath(under).build());
    assertTrue(e.getMessage().contains("bufferPath " + under.toAbsolutePath()), e.getMessage());
  }

  @Test
  void optionsHaveTheirTextForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tributary.builder().option("fsync", "SOMETIMES"));
    assertTrue(e.getMessage().contains("fsync"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Tributary.builder().option("fsyncInterval", "0s"));
    assertThrows(IllegalArgumentException.class, () -> Tributary.builder().option("fileBufferMaxBytes", "1KiB"));
    IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
        () -> Tributary.builder().server("127.0.0.1", 24224).bufferPath(dir).option("fileBufferMaxBytes", "1MiB")
            .build());
    assertTrue(small.getMessage().contains("fileBufferMaxBytes"), small.getMessage());
  }

  // ---- the disk budget

  private TributaryMetrics fillTheBudget(OverflowPolicy policy) {
    try (ForwardServer down = ForwardServer.start()) {
      down.stop();
      try (Tributary t = client(down).chunkMaxBytes(4096).chunkMaxRecords(1).fileBufferMaxBytes(65536)
          .overflowPolicy(policy).maxBlock(Duration.ofMillis(20)).build()) {
        String big = "x".repeat(3000);
        for (int i = 0; i < 100 && t.metrics().droppedTotal() == 0; i++) {
          try {
            t.emit("file.test", Map.of("seq", i, "text", big));
          } catch (BufferFullException e) {
            assertTrue(e.getMessage().contains("fileBufferMaxBytes=65536"), e.getMessage());
          }
        }
        TributaryMetrics m = t.metrics();
        assertTrue(m.bufferedBytes() <= 65536, "within the disk budget: " + m);
        Accounting.assertIdentity(m);
        t.close(Duration.ofMillis(100));
        Accounting.assertIdentity(t.metrics());
        return m;
      }
    }
  }

  @Test
  void aFullDiskBudgetDropsTheNewestUnderDropNewest() {
    TributaryMetrics m = fillTheBudget(OverflowPolicy.DROP_NEWEST);
    assertTrue(m.dropped(DropReason.BUFFER_FULL) > 0, m.toString());
  }

  @Test
  void aFullDiskBudgetWaitsThenDropsUnderBlock() {
    TributaryMetrics m = fillTheBudget(OverflowPolicy.BLOCK);
    assertTrue(m.dropped(DropReason.BUFFER_FULL) > 0, m.toString());
  }

  @Test
  void aFullDiskBudgetEvictsTheOldestUnderDropOldest() throws IOException {
    TributaryMetrics m = fillTheBudget(OverflowPolicy.DROP_OLDEST);
    assertTrue(m.dropped(DropReason.EVICTED) > 0, m.toString());
  }

  @Test
  void aFullDiskBudgetThrowsUnderThrow() {
    TributaryMetrics m = fillTheBudget(OverflowPolicy.THROW);
    assertTrue(m.dropped(DropReason.BUFFER_FULL) > 0, m.toString());
  }

  // ---- a disk that fails

  @Test
  void aDiskFullWhenASlotFileIsMadeIsACountedDropNeverAnExceptionAndKeepsWhatIsOnDisk() throws IOException {
    AtomicBoolean full = new AtomicBoolean();
    List<Throwable> told = new CopyOnWriteArrayList<>();
    try (ForwardServer server = ForwardServer.start()) {
      server.stop();
      Tributary.Builder b = client(server).chunkMaxBytes(16 * 1024).fileBufferMaxBytes(65536) // no spare slots
          .flushInterval(Duration.ofSeconds(10)) // the open chunk keeps its slot until flush()
          .listener(new TributaryListener() {
            @Override
            public void onStorageError(String message, Throwable cause) {
              told.add(cause);
            }
          });
      b.fileSpace = (ch, head, size) -> {
        if (full.get()) {
          throw new IOException("No space left on device");
        }
        FileChunkStore.Space.WRITE.allocate(ch, head, size);
      };
      try (Tributary t = b.build()) {
        t.emit("file.test", Map.of("seq", 0)); // its open chunk holds the only slot
        full.set(true);
        t.emit("file.other", Map.of("seq", 1)); // a new slot is needed: no exception, counted
        assertEquals(1, t.metrics().dropped(DropReason.STORAGE_ERROR));
        full.set(false);
        t.emit("file.other", Map.of("seq", 2));
        t.flush();
        server.restart();
        Await.until("events 0 and 2", WAIT, () -> seqs(server.events()).equals(Set.of(0L, 2L)));
        Await.until("the listener told", WAIT, () -> !told.isEmpty());
        assertTrue(told.get(0).getMessage().contains("No space left"), told.toString());
        t.close(WAIT);
        Accounting.assertSettled(t.metrics());
      }
    }
    assertFalse(Files.exists(dir.resolve("0000000000000000.tbc")));
  }
}
