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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The file buffer: every chunk in a memory-mapped file of its own under one directory ({@link
 * ChunkFile} has the format), so the events a process accepted survive its kill; the chunks found
 * there at start are {@linkplain ChunkRecovery recovered} and sent first. Owns one thread, {@code
 * tributary-files-<name>} ({@link #start}), that makes spare files ahead and persists sealed chunks.
 *
 * <p>A chunk file is made with its full size written out before it is mapped: a full disk is an
 * {@link IOException} when the file is made, never a fault inside {@code emit}. The worker keeps a
 * few spare files made ahead, so an application thread that opens a chunk usually takes a spare and
 * does no I/O. Sealed chunks are persisted (their header completed, the file cut to its length,
 * forced when the fsync mode says) by the worker as soon as they are sealed, and by the flusher
 * before a send at the latest; a file is deleted only after its chunk was delivered or given up.
 *
 * <p>Thread safe. Owns the directory's lock ({@code .lock}, held from {@link #open} to {@link
 * #close()}) and the spare files; {@link #close()} deletes the spares and releases the lock, and
 * leaves every chunk file for the next start.
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
      ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(size, 256 * 1024));
      long at = 0;
      while (at < size) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
        at += ch.write(zeros, at);
      }
      head.clear();
      ch.write(head, 0);
    };
  }

  /** The lock file's name under the directory. */
  public static final String LOCK_FILE = ".lock";
  public static final String QUARANTINE = "quarantine";
  /** Spare files kept made ahead, at most; fewer when the budget holds few chunks. */
  private static final int SPARES = 4;
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
  private final ConcurrentLinkedQueue<ChunkFile> spares = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<ChunkFile> toPersist = new ConcurrentLinkedQueue<>();
  /** Mapped files of open chunks, for the interval fsync. */
  private final Set<ChunkFile> mapped = ConcurrentHashMap.newKeySet();
  /** Files persisted since the last interval fsync. */
  private final ConcurrentLinkedQueue<ChunkFile> unsynced = new ConcurrentLinkedQueue<>();
  /** The worker's alone. */
  private long nextSyncNanos;
  /** {@code tributary-files-<name>}: makes spare files, persists sealed chunks, runs the interval fsync. */
  private Thread worker;
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
    ChunkRecovery r = new ChunkRecovery(this, dir, fsync != FsyncMode.NONE);
    List<ChunkRecovery.Found> found = r.scan();
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
    ChunkFile f = spares.poll();
    if (f != null) {
      LockSupport.unpark(worker); // make the next spare now
    } else {
      f = allocate();
      if (f == null) {
        return null;
      }
    }
    f.begin(tag.getBytes(StandardCharsets.UTF_8), newId(), System.currentTimeMillis(), nextSeq.getAndIncrement());
    if (fsync == FsyncMode.INTERVAL) {
      mapped.add(f);
    }
    return new Chunk(tag, f, nowNanos, 0, 0);
  }

  /** A new mapped spare file, or null when the budget has no room. */
  private ChunkFile allocate() throws IOException {
    if (!reserve(fileSize)) {
      return null;
    }
    long seq = nextSeq.getAndIncrement();
    try {
      while (true) {
        Path p = dir.resolve(ChunkFile.name(seq));
        try {
          return ChunkFile.allocate(this, p, seq, fileSize, space);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          seq = nextSeq.getAndIncrement(); // a file a previous run left under a name we did not expect
        }
      }
    } catch (IOException | RuntimeException e) {
      release(fileSize);
      throw e;
    }
  }

  private static String newId() {
    byte[] raw = new byte[16];
    ThreadLocalRandom.current().nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  @Override
  public void sealed(Chunk c) {
    toPersist.add(c.file());
    LockSupport.unpark(worker);
  }

  /** Starts the worker thread, {@code tributary-files-<name>}. */
  public void start(String name) {
    Thread t = new Thread(this::work, "tributary-files-" + name);
    t.setDaemon(true);
    worker = t;
    t.start();
  }

  private void work() {
    while (running) {
      try {
        step(System.nanoTime());
      } catch (RuntimeException e) {
        storageFailed(new IOException(e));
      }
      LockSupport.parkNanos(this, 10_000_000L);
    }
  }

  /**
   * The worker's step: persists sealed chunks ahead of the flusher (so their fsync overlaps with
   * sending), runs the interval fsync, and keeps spare files made.
   */
  private void step(long nowNanos) {
    for (ChunkFile f; (f = toPersist.poll()) != null; ) {
      persist(f);
    }
    if (fsync == FsyncMode.INTERVAL && nowNanos - nextSyncNanos >= 0) {
      nextSyncNanos = nowNanos + fsyncIntervalNanos;
      syncAll();
    }
    List<ChunkFile> made = new ArrayList<>();
    while (running && spares.size() < spareTarget) {
      ChunkFile f;
      try {
        f = allocate();
      } catch (IOException e) {
        storageFailed(e);
        break;
      }
      if (f == null) {
        break;
      }
      f.prefault();
      spares.add(f);
      made.add(f);
    }
    if (!made.isEmpty() && fsync == FsyncMode.ON_SEAL) {
      try {
        syncDirectory(); // the new files' names: a chunk's own fsync then covers the rest
        for (ChunkFile f : made) {
          f.dirSynced = true;
        }
      } catch (IOException e) {
        storageFailed(e);
      }
    }
  }

  @Override
  public void beforeSend(Chunk c) {
    ChunkFile f = c.file();
    if (f != null) {
      persist(f);
    }
  }

  private void persist(ChunkFile f) {
    try {
      long back = f.persist(fsync == FsyncMode.ON_SEAL);
      if (back > 0) {
        mapped.remove(f);
        release(back);
        if (fsync == FsyncMode.ON_SEAL && !f.dirSynced) {
          syncDirectory(); // made by an application thread: its name is not forced yet
          f.dirSynced = true;
        }
        if (fsync == FsyncMode.INTERVAL) {
          unsynced.add(f);
        }
      }
    } catch (IOException e) {
      // the events stay readable from the mapping while the process lives, and are sent
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

  @Override
  public long usedBytes() {
    budgetLock.lock();
    try {
      return used;
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
    if (!spares.isEmpty()) {
      return true;
    }
    budgetLock.lock();
    try {
      long remaining = timeoutNanos;
      while (used + fileSize > totalBytes) {
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
    Thread t = worker;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (ChunkFile f; (f = spares.poll()) != null; ) {
      release(f.delete());
    }
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(lockChannel);
    LOCKED_HERE.remove(lockKey);
  }

  /** Entry capacity of a chunk file (tests). */
  int chunkCapacity() {
    return chunkCapacity;
  }
}
