package dev.tributary.internal.flush;

import dev.tributary.BufferFullException;
import dev.tributary.DeliveryException;
import dev.tributary.DropReason;
import dev.tributary.FailureReason;
import dev.tributary.OverflowPolicy;
import dev.tributary.TributaryListener;
import dev.tributary.internal.buffer.Accumulator;
import dev.tributary.internal.buffer.BufferPool;
import dev.tributary.internal.buffer.Chunk;
import dev.tributary.internal.buffer.ChunkQueue;
import dev.tributary.internal.buffer.ChunkStore;
import dev.tributary.internal.buffer.FileChunkStore;
import dev.tributary.internal.buffer.MemoryChunkStore;
import dev.tributary.internal.metrics.Counters;
import dev.tributary.internal.output.DeliverySink;
import dev.tributary.internal.output.Output;
import dev.tributary.internal.report.LossSummary;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * One output with everything of its own: its chunk store (a byte budget of heap pages, {@link
 * MemoryChunkStore}, or a directory of chunk files with its own lock, disk budget and recovery,
 * {@link FileChunkStore}), its chunks ({@link Accumulator}, {@link ChunkQueue}), its worker thread
 * ({@link Flusher}), its retries and its {@link Counters}. An instance routes each encoded event to
 * the pipelines of its outputs, so an output that is down fills only its own budget and holds back
 * no other.
 *
 * <p>With a file store, the chunks a previous run left in its directory are queued when the
 * pipeline is made (counted as recovered and buffered), before any new event; the store's worker
 * thread ({@code tributary-files-<suffix>}) starts with the pipeline, and the store (its lock, its
 * spare files) is closed after the worker thread stopped, leaving undelivered chunks on disk.
 *
 * <p>Thread safe: {@link #append} is the application threads' path; the rest is the owner's
 * ({@code Tributary}), which calls {@link #start()} once, and at close {@link #beginClose()},
 * {@link #awaitDrained}, {@link #stop}, {@link #awaitStopped} in that order (each across all its
 * pipelines before the next, so that they drain concurrently within one deadline).
 *
 * <pre>{@code
 * OutputPipeline p = new OutputPipeline(settings, sink -> new StdoutOutput(System.out, sink), listener);
 * p.start();
 * p.append("app", stripe, bytes, len);
 * }</pre>
 */
public final class OutputPipeline {

  /** What a pipeline is made of; plain values, checked by the builder that fills them. */
  public static final class Settings {
    public String name;
    public String threadName;
    public long bufferMaxBytes;
    public int chunkMaxBytes;
    public int chunkMaxRecords;
    /** For a tag, how large a chunk's entries may grow (the output's own framing taken off). */
    public ToIntFunction<String> maxChunkBytes;
    public int stripes;
    public long flushIntervalNanos;
    public long retryInitialBackoffNanos;
    public long retryMaxBackoffNanos;
    public int retryMaxAttempts;
    public long retryTimeoutNanos;
    public int rejectedAttempts;
    public long reportIntervalNanos;
    public OverflowPolicy overflowPolicy;
    public long maxBlockNanos;
    public LongSupplier nanoClock = System::nanoTime;
    /** Started with the pipeline and stopped after its thread (a heartbeat), or null. */
    public Runnable startHook;
    public Runnable stopHook;
    /**
     * The file buffer of this output, opened (locked) by the builder, or null for memory pages of
     * {@link #bufferMaxBytes}. The pipeline owns it from then on and closes it.
     */
    public FileChunkStore fileStore;
    /** The file store's worker thread is {@code tributary-files-<filesThreadSuffix>}. */
    public String filesThreadSuffix;
  }

  /** The largest page of a budget: chunks are made of pages. */
  public static final int PAGE_SIZE = 32 * 1024;

  private final String name;
  private final Counters counters = new Counters();
  private final ChunkStore store;
  /** The file buffer, or null. */
  private final FileChunkStore fileStore;
  private final String filesThreadSuffix;
  /** Free bytes below which the budget counts as full: a page, or one chunk file. */
  private final long fullMarginBytes;
  private final ChunkQueue queue = new ChunkQueue();
  private final Accumulator accumulator;
  private final Flusher flusher;
  private final Output output;
  private final Thread thread;
  private final OverflowPolicy overflowPolicy;
  private final long maxBlockNanos;
  private final Runnable startHook;
  private final Runnable stopHook;
  private volatile boolean closing;

  public OutputPipeline(Settings s, Function<DeliverySink, Output> outputFactory, TributaryListener listener) {
    this.name = s.name;
    // a power of two, so that the hot path finds its place in a page with a shift and a mask
    int pageSize = Integer.highestOneBit((int) Math.min(PAGE_SIZE, Math.max(1024, s.chunkMaxBytes)));
    this.fileStore = s.fileStore;
    this.filesThreadSuffix = s.filesThreadSuffix;
    this.store = fileStore != null ? fileStore : new MemoryChunkStore(new BufferPool(s.bufferMaxBytes, pageSize));
    this.fullMarginBytes = fileStore != null ? FileChunkStore.fileSize(s.chunkMaxBytes) : PAGE_SIZE;
    // tags were checked by the instance before routing
    this.accumulator = new Accumulator(store, queue, s.maxChunkBytes, s.chunkMaxRecords, s.nanoClock,
        tag -> true, s.stripes, 2 * s.flushIntervalNanos);
    this.flusher = new Flusher(accumulator, queue, store, counters, listener, s.nanoClock, s.flushIntervalNanos,
        new Backoff(s.retryInitialBackoffNanos, s.retryMaxBackoffNanos, 0.125, new SplittableRandom()),
        s.retryMaxAttempts, s.retryTimeoutNanos, s.rejectedAttempts, s.reportIntervalNanos);
    this.output = outputFactory.apply(flusher);
    flusher.output(output);
    this.overflowPolicy = s.overflowPolicy;
    this.maxBlockNanos = s.maxBlockNanos;
    this.startHook = s.startHook;
    this.stopHook = s.stopHook;
    this.thread = new Thread(flusher, s.threadName);
    thread.setDaemon(true);
    if (fileStore != null) {
      // what a previous run left goes first: sealed chunks oldest first, then those it had open
      for (Chunk c : fileStore.recover(s.nanoClock)) {
        counters.recovered.add(c.records());
        counters.buffered.add(c.records());
        queue.add(c);
      }
    }
  }

  /** Runs {@code r} on this output's thread with each loss summary (the filters' errors). Before {@link #start()}. */
  public void alsoReport(Runnable r) {
    flusher.alsoReport(r);
  }

  /** Reports losses through the instance's one summary. Before {@link #start()}. */
  public void summary(LossSummary summary) {
    flusher.summary(summary);
  }

  public void start() {
    if (fileStore != null) {
      fileStore.start(filesThreadSuffix);
    }
    thread.start();
    if (startHook != null) {
      startHook.run();
    }
  }

  public String name() {
    return name;
  }

  public Counters counters() {
    return counters;
  }

  public Output output() {
    return output;
  }

  /** This output's budget: its byte budget in memory, or its disk budget with a file buffer. */
  public long budgetBytes() {
    return store.totalBytes();
  }

  /** Bytes of the budget held now. */
  public long usedBytes() {
    return store.usedBytes();
  }

  /** Free bytes of the budget below which it counts as full: a page, or one chunk file on disk. */
  public long fullMarginBytes() {
    return fullMarginBytes;
  }

  /** The file buffer, or null when chunks live in memory. */
  public FileChunkStore fileStore() {
    return fileStore;
  }

  /**
   * Whether this output holds {@code tag} now (an open chunk, or used lately): every tag it holds
   * passed the instance's tag check when it first came. Any thread; one map lookup, no allocation.
   */
  public boolean holds(String tag) {
    return accumulator.holds(tag);
  }

  /**
   * Takes one copy of an encoded event: counted as this output's {@code emitted}, then buffered
   * or dropped by reason, as the overflow policy says when the budget is full.
   *
   * @throws BufferFullException only under {@link OverflowPolicy#THROW}, the event counted as dropped
   */
  public void append(String tag, int stripe, byte[] bytes, int len) {
    long deadline = 0;
    while (true) {
      switch (accumulator.append(tag, stripe, bytes, len)) {
        case APPENDED:
          // counted by the stripe it went to: see emitted(long, Map)
          return;
        case TOO_LARGE:
          counters.dropped(DropReason.TOO_LARGE, 1);
          return;
        case CLOSED:
          counters.dropped(DropReason.CLOSED, 1);
          return;
        case STORAGE_ERROR:
          counters.dropped(DropReason.STORAGE_ERROR, 1);
          return;
        case NO_MEMORY:
        default:
          break;
      }
      switch (overflowPolicy) {
        case DROP_NEWEST:
          counters.dropped(DropReason.BUFFER_FULL, 1);
          return;
        case THROW:
          counters.dropped(DropReason.BUFFER_FULL, 1);
          throw new BufferFullException("buffer full: " + store.budgetOption() + "=" + store.totalBytes()
              + ", held " + store.usedBytes() + " bytes; event of " + len + " bytes for tag "
              + tag + " not accepted" + (name == null ? "" : " by output " + name));
        case DROP_OLDEST:
          Chunk old = queue.evictOldest();
          if (old == null) {
            counters.dropped(DropReason.BUFFER_FULL, 1);
            return;
          }
          counters.dropped(DropReason.EVICTED, old.records());
          counters.buffered.add(-old.records());
          old.free();
          continue;
        case BLOCK:
        default:
          long now = System.nanoTime();
          if (deadline == 0) {
            if (store.exhausted()) {
              counters.dropped(DropReason.BUFFER_FULL, 1);
              return;
            }
            deadline = now + maxBlockNanos;
          }
          boolean room;
          try {
            room = now - deadline < 0 && store.awaitRoom(len, deadline - now);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            room = false;
          }
          if (!room || closing) {
            counters.dropped(closing ? DropReason.CLOSED : DropReason.BUFFER_FULL, 1);
            return;
          }
      }
    }
  }

  /**
   * Events in this output's chunks, open or sealed, not yet handed to the output. Read {@code
   * appended} once ({@link #appended()}) for this and {@link #emitted(long, Map)} alike, so that
   * the two agree.
   */
  public long bufferedEvents(long appended) {
    return appended + counters.buffered.sum();
  }

  /**
   * Events emitted to this output: those its buffer took ({@code appended}, counted by the stripes
   * they went to, so the append's path has no shared counter) and those it dropped at the append,
   * which are all of its {@code dropped} but the evicted (events its buffer had taken).
   */
  public static long emitted(long appended, Map<DropReason, Long> dropped) {
    long n = appended;
    for (Map.Entry<DropReason, Long> e : dropped.entrySet()) {
      if (e.getKey() != DropReason.EVICTED) {
        n += e.getValue();
      }
    }
    return n;
  }

  /** Events this output's buffer took, ever; any thread. */
  public long appended() {
    return accumulator.appended();
  }

  /** Seals every open chunk so the worker sends it now. */
  public void flush() {
    accumulator.sealAll();
    queue.wakeup();
  }

  /** Stops intake: later appends are dropped as closed, waiters for memory return. */
  public void beginClose() {
    closing = true;
    accumulator.close();
    store.endWaits();
    queue.wakeup();
  }

  /**
   * Waits until everything accepted is delivered or {@code deadline} (a {@link System#nanoTime()}
   * value) passes; an interrupt does not cut the wait short, it is returned to be restored.
   *
   * @return whether the caller was interrupted
   */
  public boolean awaitDrained(long deadline) {
    boolean interrupted = false;
    while (true) {
      try {
        flusher.awaitDrained(Math.max(0, deadline - System.nanoTime()));
        return interrupted;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  /** Asks the worker to end, breaking off a blocked send. */
  public void stop() {
    flusher.stop(new DeliveryException("closed before delivery", false));
  }

  /**
   * Waits for the worker to end by {@code stopDeadline}, interrupts it if it has not, waits a
   * second more, then stops the stop hook's thread, and last closes the file store (its worker,
   * spare files and lock; the chunk files stay for the next start).
   *
   * @return whether the caller was interrupted
   */
  public boolean awaitStopped(long stopDeadline) {
    boolean interrupted = false;
    boolean stopped = false;
    for (int round = 0; !stopped && round < 2; round++) {
      while (true) {
        try {
          stopped = flusher.awaitStopped(Math.max(0, stopDeadline - System.nanoTime()));
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (!stopped) {
        thread.interrupt();
        stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      }
    }
    long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (thread.isAlive() && joinDeadline - System.nanoTime() > 0) {
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (stopHook != null) {
      stopHook.run();
    }
    store.close();
    return interrupted;
  }

  /** Events this output could not deliver at close. */
  public long undeliveredAtClose() {
    return counters.failedSnapshot().get(FailureReason.UNDELIVERED_AT_CLOSE);
  }
}
