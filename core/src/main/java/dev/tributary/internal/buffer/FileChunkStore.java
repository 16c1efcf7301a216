package dev.tributary.internal.buffer;

import dev.tributary.FsyncMode;
import dev.tributary.TributaryListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The file buffer: every chunk in a file of its own under one directory ({@link ChunkFile} has the
 * format), so the events a process accepted survive its kill; the chunks found there at start are
 * {@linkplain ChunkRecovery recovered} and sent first.
 *
 * <p>An open chunk is appended into a {@link ChunkSlot}: a file of the same format, made once with
 * its full size written out before it is mapped (a full disk is an {@link IOException} when a slot
 * is made, never a fault inside {@code emit}), faulted in once, and then reused chunk after chunk
 * without being unmapped or forced, so an append costs a copy into pages that stay mapped. When a
 * chunk is sealed the files thread, {@code tributary-files-<name>}, writes its entries out to a file
 * of its own and clears the slot for the next chunk; the sync thread, {@code tributary-fsync-<name>},
 * forces the written files when the fsync mode says, so a slow disk never holds slots up. The
 * flusher does both before a send at the latest. A chunk that cannot be written out (a full disk)
 * stays in its slot and is sent from there. A file is deleted only after its chunk was delivered or
 * given up.
 *
 * <p>Thread safe. Owns the directory's lock ({@code .lock}, held from {@link #open} to {@link
 * #close()}), the slots and both threads ({@link #start}); {@link #close()} deletes the free slots
 * and releases the lock, and leaves every chunk file (and any slot still holding a chunk) for the
 * next start.
 *
 * <pre>{@code
 * FileChunkStore store = FileChunkStore.open(dir, 1L << 30, 1 << 20, FsyncMode.ON_SEAL, 1_000_000_000L,
 *     30_000_000_000L, FileChunkStore.Space.WRITE);
 * List<Chunk> recovered = store.recover(System::nanoTime);   // queue these first
 * }</pre>
 */
public final class FileChunkStore implements ChunkStore {

  /** How a chunk file's space is allocated for real; a test seam for a full disk. */
  public interface Space {
    /**
     * Writes {@code head} at the start of the new, empty file and makes it {@code size} bytes long
     * with every byte written.
     */
    void allocate(FileChannel ch, ByteBuffer head, long size) throws IOException;

    /** Writes zeros: the only portable way to have the blocks really allocated. */
    Space WRITE = (ch, head, size) -> {
      writeZeros(ch, 0, size);
      head.clear();
      while (head.hasRemaining()) {
        ch.write(head, head.position());
      }
    };

    /** Writes zeros from {@code from} to {@code size}. */
    static void writeZeros(FileChannel ch, long from, long size) throws IOException {
      ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.max(1, Math.min(size - from, 256 * 1024)));
      long at = from;
      while (at < size) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
        at += ch.write(zeros, at);
      }
    }
  }

  /** The lock file's name under the directory. */
  public static final String LOCK_FILE = ".lock";
  public static final String QUARANTINE = "quarantine";
  /** Free slots kept made ahead, at most; fewer when the budget holds few chunks. */
  private static final int SPARES = 4;
  /**
   * How often the files thread looks at how many free slots went unused: those the pool never needed
   * in that time (its low-water mark above {@link #spareTarget}) are deleted, half at a time.
   */
  private static final long SPARE_TRIM_NANOS = 30_000_000_000L;
  /**
   * Directories locked by this JVM. Checked before the lock file is opened: closing any channel of
   * a file releases every lock the process holds on it, so a second instance must not even open it.
   */
  private static final Set<Path> LOCKED_HERE = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final Path lockKey;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final long totalBytes;
  private final int chunkCapacity;
  private final long fileSize;
  private final int spareTarget;
  private final FsyncMode fsync;
  private final long fsyncIntervalNanos;
  private final long reportIntervalNanos;
  private final Space space;

  private final ReentrantLock budgetLock = new ReentrantLock();
  private final Condition released = budgetLock.newCondition();
  private long used;
  private boolean closed;
  private volatile boolean exhausted;

  private final AtomicLong nextSeq = new AtomicLong();
  /** Slots with no chunk, mapped and faulted in; counted by {@link #freeSlotCount}. */
  private final ConcurrentLinkedQueue<ChunkSlot> freeSlots = new ConcurrentLinkedQueue<>();
  private final AtomicInteger freeSlotCount = new AtomicInteger();
  /** Sealed chunks to write out of their slots, for the files thread. */
  private final ConcurrentLinkedQueue<ChunkFile> toWrite = new ConcurrentLinkedQueue<>();
  /** Written chunk files to force, for the sync thread (fsync ON_SEAL). */
  private final ConcurrentLinkedQueue<ChunkFile> toForce = new ConcurrentLinkedQueue<>();
  /** Files were made whose names are not forced yet (fsync ON_SEAL). */
  private final AtomicBoolean newNames = new AtomicBoolean();
  /** Chunks in slots, for the interval fsync. */
  private final Set<ChunkFile> mapped = ConcurrentHashMap.newKeySet();
  /** Files written out since the last interval fsync. */
  private final ConcurrentLinkedQueue<ChunkFile> unsynced = new ConcurrentLinkedQueue<>();
  /** The sync thread's alone. */
  private long nextSyncNanos;
  /** The files thread's alone: the fewest free slots since {@link #trimAtNanos}. */
  private int slotsLowWater = Integer.MAX_VALUE;
  private long trimAtNanos;
  /** {@code tributary-files-<name>}: writes sealed chunks out of their slots, makes slots. */
  private Thread worker;
  /** {@code tributary-fsync-<name>}: forces written chunk files and new names, runs the interval fsync. */
  private Thread syncer;
  private volatile boolean running = true;

  /** Reports waiting for the flusher: quarantined files, then storage errors. */
  private final ConcurrentLinkedQueue<String[]> quarantineNotes = new ConcurrentLinkedQueue<>();
  private final AtomicReference<IOException> storageError = new AtomicReference<>();
  private long lastStorageReportNanos = Long.MIN_VALUE;
  private volatile long quarantinedChunks;
  private volatile long quarantinedBytes;

  private FileChunkStore(Path dir, Path lockKey, FileChannel lockChannel, FileLock lock, long totalBytes, int chunkCapacity,
      FsyncMode fsync, long fsyncIntervalNanos, long reportIntervalNanos, Space space) {
    this.dir = dir;
    this.lockKey = lockKey;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.totalBytes = totalBytes;
    this.chunkCapacity = chunkCapacity;
    this.fileSize = (long) ChunkFile.HEADER + ChunkFile.MAX_TAG_BYTES + chunkCapacity;
    this.spareTarget = (int) Math.min(SPARES, totalBytes / fileSize / 4);
    this.fsync = fsync;
    this.fsyncIntervalNanos = fsyncIntervalNanos;
    this.reportIntervalNanos = reportIntervalNanos;
    this.space = space;
  }

  /** The bytes one chunk file takes on disk while open: header, the longest tag, the entries. */
  public static long fileSize(int chunkCapacity) {
    return (long) ChunkFile.HEADER + ChunkFile.MAX_TAG_BYTES + chunkCapacity;
  }

  /**
   * Creates the directory if needed and locks it.
   *
   * @param chunkCapacity the most entry bytes a chunk holds
   * @throws IllegalArgumentException naming the directory when it cannot be made or written, or
   *     when another instance or process holds its lock
   */
  public static FileChunkStore open(Path dir, long totalBytes, int chunkCapacity, FsyncMode fsync,
      long fsyncIntervalNanos, long reportIntervalNanos, Space space) {
    Path d = dir.toAbsolutePath();
    try {
      Files.createDirectories(d);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("bufferPath " + d + " cannot be created: " + e, e);
    }
    if (!Files.isDirectory(d) || !Files.isWritable(d)) {
      throw new IllegalArgumentException("bufferPath " + d + " is not a writable directory");
    }
    Path key;
    try {
      key = d.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("bufferPath " + d + " cannot be read: " + e, e);
    }
    if (!LOCKED_HERE.add(key)) {
      throw inUse(d);
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(d.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      LOCKED_HERE.remove(key);
      throw new IllegalArgumentException("bufferPath " + d + " is not writable: " + e, e);
    }
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    } catch (IOException e) {
      closeQuietly(ch);
      LOCKED_HERE.remove(key);
      throw new IllegalArgumentException("bufferPath " + d + " cannot be locked: " + e, e);
    }
    if (l == null) {
      closeQuietly(ch);
      LOCKED_HERE.remove(key);
      throw inUse(d);
    }
    return new FileChunkStore(d, key, ch, l, totalBytes, chunkCapacity, fsync, fsyncIntervalNanos,
        reportIntervalNanos, space);
  }

  private static IllegalArgumentException inUse(Path d) {
    return new IllegalArgumentException("bufferPath " + d + " is in use by another Tributary instance (in this or"
        + " another process, holding " + d.resolve(LOCK_FILE) + "); give each instance a directory of its own");
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  public Path directory() {
    return dir;
  }

  /**
   * How many chunk files lie directly in {@code dir} (not in its subdirectories); 0 when it does not
   * exist or cannot be read. Reads names only: for a warning about files no store will recover.
   */
  public static int chunkFiles(Path dir) {
    int n = 0;
    try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + ChunkFile.SUFFIX)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          n++;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return n;
  }

  /**
   * Reads what a previous run left: sealed chunks first, oldest first, then the chunks it had open,
   * each cut at its last complete entry and sealed. Unreadable files go to {@code quarantine/}.
   * Call once, before the flusher starts.
   */
  public List<Chunk> recover(LongSupplier nanoClock) {
    String boot = currentBootId();
    String before = readText(dir.resolve(BOOT_FILE));
    boolean restarted = boot != null && before != null && !before.equals(boot);
    ChunkRecovery r = new ChunkRecovery(this, dir, fsync != FsyncMode.NONE, restarted);
    List<ChunkRecovery.Found> found = r.scan();
    if (boot != null && !boot.equals(before)) {
      writeBootId(boot);
    }
    nextSeq.set(r.maxSeq() + 1);
    List<Chunk> chunks = new ArrayList<>(found.size());
    long now = nanoClock.getAsLong();
    budgetLock.lock();
    try {
      for (ChunkRecovery.Found f : found) {
        used += f.file().reserved();
      }
    } finally {
      budgetLock.unlock();
    }
    for (ChunkRecovery.Found f : found) {
      chunks.add(new Chunk(f.tag(), f.file(), now, f.length(), f.records()));
    }
    return chunks;
  }

  /**
   * The file that names the boot of the machine the last instance on this directory ran in (Linux's
   * {@code /proc/sys/kernel/random/boot_id}). An open chunk's entries are never forced to disk, and
   * a reused slot holds an earlier chunk's beyond them: after a process kill the page cache still
   * has every byte the appends wrote, but after a power loss or a kernel crash the disk may have the
   * new length with the old entries. So a chunk left open in another boot is quarantined, not sent.
   */
  public static final String BOOT_FILE = ".boot";

  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  /** This machine's boot id, or null where the system has none to read. */
  static String currentBootId() {
    return readText(BOOT_ID);
  }

  private static String readText(Path p) {
    try {
      String t = Files.readString(p, StandardCharsets.US_ASCII).trim();
      return t.isEmpty() ? null : t;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Records the boot this instance runs in, forced to disk: read back after a power loss. */
  private void writeBootId(String boot) {
    Path tmp = dir.resolve(BOOT_FILE + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ChunkFile.writeFully(ch, ByteBuffer.wrap(boot.getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(true);
      }
      Files.move(tmp, dir.resolve(BOOT_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // without it the next start cannot tell a restart of the machine: it recovers open chunks as before
    }
  }

  /** Counted by recovery: a file moved to quarantine. */
  void quarantined(Path file, long bytes, String reason) {
    quarantinedChunks++;
    quarantinedBytes += bytes;
    quarantineNotes.add(new String[] {file.toString(), Long.toString(bytes), reason});
  }

  public long quarantinedChunks() {
    return quarantinedChunks;
  }

  public long quarantinedBytes() {
    return quarantinedBytes;
  }

  @Override
  public Chunk open(String tag, long nowNanos) throws IOException {
    ChunkSlot slot = freeSlots.poll();
    if (slot != null) {
      freeSlotCount.decrementAndGet();
      LockSupport.unpark(worker); // make the next spare now, if one is missing
    } else {
      slot = newSlot(false);
      if (slot == null) {
        return null;
      }
    }
    ChunkFile f = ChunkFile.open(this, slot, tag.getBytes(StandardCharsets.UTF_8), newId(),
        System.currentTimeMillis(), nextSeq.getAndIncrement());
    if (fsync == FsyncMode.INTERVAL) {
      mapped.add(f);
    }
    return new Chunk(tag, f, nowNanos, 0, 0);
  }

  /** A new slot, faulted in if {@code prefault}, or null when the budget has no room for one. */
  private ChunkSlot newSlot(boolean prefault) throws IOException {
    if (!reserve(fileSize)) {
      return null;
    }
    try {
      return ChunkSlot.create(newPath(), fileSize, space, prefault);
    } catch (IOException | RuntimeException e) {
      release(fileSize);
      throw e;
    }
  }

  /** A name no file in the directory has. */
  private Path newPath() {
    while (true) {
      Path p = dir.resolve(ChunkFile.name(nextSeq.getAndIncrement()));
      if (!Files.exists(p)) {
        return p; // a file a previous run left under a name we did not expect is passed over
      }
    }
  }

  private static String newId() {
    byte[] raw = new byte[16];
    ThreadLocalRandom.current().nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  @Override
  public void sealed(Chunk c) {
    c.sealRecords();
    toWrite.add(c.file());
    LockSupport.unpark(worker);
  }

  /**
   * Takes back a slot whose chunk was written out (or freed): cleared, and ready for the next chunk
   * at once, its mapping and faulted-in pages kept. Deleted instead after {@link #close()}.
   */
  void slotFree(ChunkSlot slot) {
    slot.clear();
    if (!running) {
      deleteSlot(slot);
      return;
    }
    freeSlots.add(slot);
    freeSlotCount.incrementAndGet();
    if (!running) {
      deleteFreeSlots(); // raced with close
    }
    signalRoom();
  }

  private void deleteSlot(ChunkSlot slot) {
    try {
      slot.delete();
    } catch (IOException e) {
      storageFailed(e);
    }
    release(slot.size);
  }

  /** Starts the files thread, {@code tributary-files-<name>}, and the sync thread, {@code tributary-fsync-<name>}. */
  public void start(String name) {
    Thread s = new Thread(() -> loop(this::syncStep), "tributary-fsync-" + name);
    s.setDaemon(true);
    syncer = s;
    Thread t = new Thread(() -> loop(this::fileStep), "tributary-files-" + name);
    t.setDaemon(true);
    worker = t;
    s.start();
    t.start();
  }

  private void loop(java.util.function.LongConsumer step) {
    while (running) {
      try {
        step.accept(System.nanoTime());
      } catch (RuntimeException e) {
        storageFailed(new IOException(e));
      }
      LockSupport.parkNanos(this, 10_000_000L);
    }
  }

  /**
   * The files thread's step: writes sealed chunks out of their slots (so the slots serve the next
   * chunks), keeps {@link #spareTarget} slots free, and deletes the free slots that went unused for
   * {@link #SPARE_TRIM_NANOS}.
   */
  void fileStep(long nowNanos) {
    int before = freeSlotCount.get();
    if (before < slotsLowWater) {
      slotsLowWater = before;
    }
    for (ChunkFile f; running && (f = toWrite.poll()) != null; ) {
      writeOut(f);
    }
    while (running && freeSlotCount.get() < spareTarget) {
      ChunkSlot slot;
      try {
        slot = newSlot(true);
      } catch (IOException e) {
        storageFailed(e);
        break;
      }
      if (slot == null) {
        break;
      }
      freeSlots.add(slot);
      freeSlotCount.incrementAndGet();
      signalRoom();
      if (fsync == FsyncMode.ON_SEAL) {
        newNames.set(true);
      }
    }
    if (nowNanos - trimAtNanos >= 0) {
      trimAtNanos = nowNanos + SPARE_TRIM_NANOS;
      int unused = Math.min(slotsLowWater, freeSlotCount.get()) - spareTarget;
      for (int i = 0; i < (unused + 1) / 2; i++) {
        ChunkSlot slot = freeSlots.poll();
        if (slot == null) {
          break;
        }
        freeSlotCount.decrementAndGet();
        deleteSlot(slot);
      }
      slotsLowWater = freeSlotCount.get();
    }
  }

  /**
   * Writes a sealed chunk out of its slot into a file of its own, under budget; on any failure (no
   * budget, a full disk) the chunk stays in its slot and is sent from there, and the slot comes back
   * once the chunk is delivered.
   */
  private void writeOut(ChunkFile f) {
    if (!f.inSlot()) {
      return;
    }
    long size = f.sealedSize();
    if (size < 0) {
      return;
    }
    if (!reserve(size) && !(reclaimFreeSlot() && reserve(size))) {
      return;
    }
    boolean written = false;
    try {
      written = f.writeOut(newPath());
    } catch (IOException | RuntimeException e) {
      storageFailed(e instanceof IOException ? (IOException) e : new IOException(e));
    }
    if (!written) {
      release(size);
      return;
    }
    mapped.remove(f);
    if (fsync == FsyncMode.ON_SEAL) {
      toForce.add(f);
      newNames.set(true);
      LockSupport.unpark(syncer);
    } else if (fsync == FsyncMode.INTERVAL) {
      unsynced.add(f);
    }
  }

  /** Deletes a free slot to make room in the budget; false when none is free. */
  private boolean reclaimFreeSlot() {
    ChunkSlot slot = freeSlots.poll();
    if (slot == null) {
      return false;
    }
    freeSlotCount.decrementAndGet();
    deleteSlot(slot);
    return true;
  }

  /**
   * The sync thread's step: forces written chunk files and the directory's new names (fsync
   * ON_SEAL), runs the interval fsync. On a thread of its own so that a slow fsync never holds up
   * writing chunks out of their slots.
   */
  void syncStep(long nowNanos) {
    if (fsync == FsyncMode.ON_SEAL) {
      boolean names = newNames.getAndSet(false);
      List<ChunkFile> forced = new ArrayList<>();
      for (ChunkFile f; (f = toForce.poll()) != null; ) {
        try {
          if (f.force()) {
            forced.add(f);
          }
        } catch (IOException e) {
          storageFailed(e); // the events stay readable while the process lives, and are sent
        }
      }
      if (names || !forced.isEmpty()) {
        try {
          syncDirectory();
          for (ChunkFile f : forced) {
            f.dirSynced = true;
          }
        } catch (IOException e) {
          storageFailed(e);
        }
      }
    }
    if (fsync == FsyncMode.INTERVAL && nowNanos - nextSyncNanos >= 0) {
      nextSyncNanos = nowNanos + fsyncIntervalNanos;
      syncAll();
    }
  }

  private void signalRoom() {
    budgetLock.lock();
    try {
      released.signalAll();
    } finally {
      budgetLock.unlock();
    }
  }

  @Override
  public void beforeSend(Chunk c) {
    ChunkFile f = c.file();
    if (f != null) {
      persist(f);
    }
  }

  /**
   * Makes a sealed chunk as durable as configured, on the flusher's thread when the background
   * threads have not done it yet: written out of its slot, and forced with its name (ON_SEAL).
   */
  private void persist(ChunkFile f) {
    writeOut(f);
    if (fsync != FsyncMode.ON_SEAL) {
      return;
    }
    try {
      f.force();
      if (!f.dirSynced && !f.inSlot()) {
        syncDirectory();
        f.dirSynced = true;
      }
    } catch (IOException e) {
      // the events stay readable while the process lives, and are sent
      storageFailed(e);
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  @Override
  public void maintain(long nowNanos, TributaryListener listener) {
    for (String[] q; (q = quarantineNotes.poll()) != null; ) {
      listener.onChunkQuarantined(q[0], Long.parseLong(q[1]), q[2]);
    }
    if (storageError.get() != null
        && (lastStorageReportNanos == Long.MIN_VALUE || nowNanos - lastStorageReportNanos >= reportIntervalNanos)) {
      IOException e = storageError.getAndSet(null);
      lastStorageReportNanos = nowNanos;
      listener.onStorageError("the file buffer in " + dir + " failed; events that could not be stored are"
          + " dropped as STORAGE_ERROR, what is on disk is kept", e);
    }
  }

  private void syncAll() {
    try {
      for (ChunkFile f : mapped) {
        f.forceMapped();
      }
      for (ChunkFile f; (f = unsynced.poll()) != null; ) {
        try (FileChannel ch = FileChannel.open(f.path, StandardOpenOption.WRITE)) {
          ch.force(true);
        } catch (java.nio.file.NoSuchFileException e) {
          // delivered and deleted meanwhile
        }
      }
      syncDirectory();
    } catch (IOException | RuntimeException e) {
      storageFailed(e instanceof IOException ? (IOException) e : new IOException(e));
    }
  }

  @Override
  public void storageFailed(IOException e) {
    storageError.compareAndSet(null, e);
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public void keep(Chunk c) {
    ChunkFile f = c.file();
    if (f != null) {
      persist(f);
    }
  }

  /** Gives budget back: a file was deleted, or cut to its length. */
  void release(long bytes) {
    if (bytes <= 0) {
      return;
    }
    budgetLock.lock();
    try {
      used -= bytes;
      exhausted = false;
      released.signalAll();
    } finally {
      budgetLock.unlock();
    }
  }

  private boolean reserve(long bytes) {
    budgetLock.lock();
    try {
      if (used + bytes > totalBytes) {
        return false;
      }
      used += bytes;
      return true;
    } finally {
      budgetLock.unlock();
    }
  }

  @Override
  public long totalBytes() {
    return totalBytes;
  }

  /** Bytes of the budget held by chunks; free slots hold budget too, but no events. */
  @Override
  public long usedBytes() {
    budgetLock.lock();
    try {
      return Math.max(0, used - (long) freeSlotCount.get() * fileSize);
    } finally {
      budgetLock.unlock();
    }
  }

  @Override
  public String budgetOption() {
    return "fileBufferMaxBytes";
  }

  @Override
  public boolean exhausted() {
    return exhausted;
  }

  @Override
  public boolean awaitRoom(int bytes, long timeoutNanos) throws InterruptedException {
    if (!freeSlots.isEmpty()) {
      return true;
    }
    budgetLock.lock();
    try {
      long remaining = timeoutNanos;
      while (used + fileSize > totalBytes && freeSlots.isEmpty()) {
        if (closed) {
          return false;
        }
        if (remaining <= 0) {
          exhausted = true;
          return false;
        }
        remaining = released.awaitNanos(remaining);
      }
      return true;
    } finally {
      budgetLock.unlock();
    }
  }

  @Override
  public void endWaits() {
    budgetLock.lock();
    try {
      closed = true;
      released.signalAll();
    } finally {
      budgetLock.unlock();
    }
  }

  /** Deletes the spare files and releases the directory's lock; chunk files stay. */
  @Override
  public void close() {
    endWaits();
    running = false;
    for (Thread t : new Thread[] {worker, syncer}) {
      if (t != null) {
        LockSupport.unpark(t);
        try {
          t.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    deleteFreeSlots();
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(lockChannel);
    LOCKED_HERE.remove(lockKey);
  }

  private void deleteFreeSlots() {
    for (ChunkSlot slot; (slot = freeSlots.poll()) != null; ) {
      freeSlotCount.decrementAndGet();
      deleteSlot(slot);
    }
  }

  /** Free slots now (tests). */
  int freeSlots() {
    return freeSlotCount.get();
  }

  /** Entry capacity of a chunk file (tests). */
  int chunkCapacity() {
    return chunkCapacity;
  }
}
