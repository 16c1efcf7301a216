package dev.tributary;

import dev.tributary.internal.buffer.Accumulator;
import dev.tributary.internal.buffer.BufferPool;
import dev.tributary.internal.buffer.Chunk;
import dev.tributary.internal.buffer.ChunkQueue;
import dev.tributary.internal.buffer.ChunkStore;
import dev.tributary.internal.buffer.FileChunkStore;
import dev.tributary.internal.buffer.MemoryChunkStore;
import dev.tributary.internal.codec.EventEncoder;
import dev.tributary.internal.codec.EventTooLargeException;
import dev.tributary.internal.codec.MsgpackBuffer;
import dev.tributary.internal.flush.Backoff;
import dev.tributary.internal.flush.Flusher;
import dev.tributary.internal.forward.ForwardOutput;
import dev.tributary.internal.forward.HealthSettings;
import dev.tributary.internal.forward.ServerAddress;
import dev.tributary.internal.forward.ServerSpec;
import dev.tributary.internal.forward.ServerState;
import dev.tributary.internal.metrics.Counters;
import dev.tributary.internal.report.SafeListener;
import dev.tributary.internal.report.StderrListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * An in-process Fluentd forwarder: {@code emit} encodes an event to msgpack on the caller's
 * thread and appends it to its tag's chunk; the instance's flusher thread sends sealed chunks to
 * the aggregators over the forward protocol, with acks, retries and failover.
 *
 * <p>Thread safe: any number of threads may {@code emit}. The application thread never waits on
 * the network; it waits only under {@link OverflowPolicy#BLOCK}, at most {@code maxBlock}. Owns
 * one thread ({@code tributary-flusher-<name>}), a reader thread ({@code tributary-acks-<name>})
 * per open connection, and, unless {@code heartbeatType} is {@link HeartbeatType#NONE}, a
 * heartbeat thread ({@code tributary-heartbeat-<name>}); all are daemons, started by {@link
 * Builder#build()} and stopped by {@link #close()}. With {@code bufferPath} set it also owns
 * that directory's lock and its chunk files (see {@link Builder#bufferPath}).
 *
 * <pre>{@code
 * try (Tributary tributary = Tributary.builder()
 *         .server("127.0.0.1", 24224)
 *         .requireAck(true)
 *         .build()) {
 *   tributary.event("app.orders").put("id", 42).put("amount", 9.99).emit(); // no Map, no garbage
 *   tributary.emit("app.orders", Map.of("id", 42, "amount", 9.99));           // a record that is a map
 * } // close() delivers what is buffered, within closeTimeout
 * }</pre>
 */
public final class Tributary implements AutoCloseable {

  private final Builder config;
  private final Clock clock;
  /** Where chunks keep their bytes: the heap byte budget, or the file buffer. */
  private final ChunkStore store;
  /** The file buffer, or null. */
  private final FileChunkStore fileStore;
  private final ChunkQueue queue;
  private final Accumulator accumulator;
  private final Counters counters = new Counters();
  private final Flusher flusher;
  private final ForwardOutput output;
  private final Thread flusherThread;
  private final AtomicReferenceArray<EncoderState> encoders = new AtomicReferenceArray<>(ENCODER_SLOTS);
  private final int maxEventBytes;
  private final boolean timeAsInteger;
  private final boolean legacyMsgpack;
  private final Object closeLock = new Object();
  private volatile boolean closing;
  private Long undeliveredAtClose;

  /** Open chunks per tag: enough that a few busy threads rarely share one. */
  private static final int STRIPES = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors() * 2));

  /**
   * Encoders are pooled, not kept per thread: a thread takes one from the slot its id hashes to
   * for the length of an {@code emit} and puts it back. Memory stays bounded however many threads
   * come and go (thread-per-request pools, short-lived threads), and an {@code emit} nested in
   * another on the same thread (a {@code toString()} that logs) gets an encoder of its own.
   */
  private static final int ENCODER_SLOTS = 64;
  private static final int PROBES = 4;

  /** A reusable encoder and the last tag that passed the check with it. */
  static final class EncoderState {
    final EventEncoder encoder;
    String checkedTag;

    EncoderState(EventEncoder encoder) {
      this.encoder = encoder;
    }
  }

  /** @param fileStore the file buffer, opened and locked by the builder, or null */
  private Tributary(Builder b, FileChunkStore fileStore) {
    this.config = b;
    this.clock = b.clock;
    LongSupplier nanoClock = System::nanoTime;
    // a power of two, so that the hot path finds its place in a page with a shift and a mask
    int pageSize = Integer.highestOneBit((int) Math.min(Builder.PAGE_SIZE, Math.max(1024, b.chunkMaxBytes)));
    this.fileStore = fileStore;
    this.store = fileStore != null ? fileStore : new MemoryChunkStore(new BufferPool(b.bufferMaxBytes, pageSize));
    this.queue = new ChunkQueue();
    this.maxEventBytes = b.maxEventBytes > 0 ? b.maxEventBytes : b.chunkMaxBytes;
    int chunkMaxBytes = b.chunkMaxBytes;
    int maxRequestBytes = b.maxRequestBytes;
    // a chunk's entries plus the request around them (tag, headers, options) fit maxRequestBytes
    this.accumulator = new Accumulator(store, queue,
        tag -> Math.min(chunkMaxBytes,
            maxRequestBytes - ForwardOutput.requestOverhead(MsgpackBuffer.utf8Length(tag))),
        b.chunkMaxRecords, nanoClock,
        tag -> {
          Tags.check(tag);
          return true;
        }, STRIPES, 2 * b.flushInterval.toNanos());
    TributaryListener listener = new SafeListener(b.listener != null ? b.listener
        : new StderrListener(b.name, b.reportInterval.toNanos(), System.err));
    this.flusher = new Flusher(accumulator, queue, store, counters, listener, nanoClock,
        b.flushInterval.toNanos(),
        new Backoff(b.retryInitialBackoff.toNanos(), b.retryMaxBackoff.toNanos(), 0.125, new SplittableRandom()),
        b.retryMaxAttempts, b.retryTimeout.toNanos(), b.rejectedAttempts, b.reportInterval.toNanos());
    this.output = new ForwardOutput(b.servers, b.socketFactory, (int) b.connectTimeout.toMillis(),
        b.requireAck, b.ackTimeout.toNanos(), b.writeTimeout.toNanos(), b.maxInFlightChunks,
        b.compression == Compression.GZIP, b.legacyMsgpack, nanoClock, flusher, listener, b.name,
        b.secure.tlsSettings(), b.secure.sharedKeySettings(),
        new HealthSettings(b.heartbeatType, b.heartbeatInterval.toNanos(), b.phiThreshold,
            b.hardTimeout.toNanos(), b.recoverWait.toNanos(), b.retryInitialBackoff.toNanos(),
            b.retryMaxBackoff.toNanos()), b.clock);
    flusher.output(output);
    if (b.secure.tls && b.secure.tlsInsecure) {
      listener.onWarning("tlsInsecure is on: the servers' certificates and host names are NOT verified;"
          + " anyone on the path can read and change the events");
    }
    this.timeAsInteger = b.timeAsInteger;
    this.legacyMsgpack = b.legacyMsgpack;
    this.flusherThread = new Thread(flusher, "tributary-flusher-" + b.name);
    flusherThread.setDaemon(true);
    if (fileStore != null) {
      // what a previous run left goes first: sealed chunks oldest first, then those it had open
      for (Chunk c : fileStore.recover(nanoClock)) {
        counters.recovered.add(c.records());
        counters.buffered.add(c.records());
        queue.add(c);
      }
    }
  }

  /** A builder with every option at its default; {@link Builder#server} is the one you must set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Emits an event stamped with the current time (nanosecond precision where the platform clock
   * has it).
   *
   * @throws IllegalArgumentException if {@code tag} is not a valid tag ({@link Tags})
   * @throws BufferFullException only under {@link OverflowPolicy#THROW}
   */
  public void emit(String tag, Map<String, ?> record) {
    Instant now = clock.instant();
    emit(tag, now.getEpochSecond(), now.getNano(), record);
  }

  /**
   * Emits an event with the given time. Costs one msgpack encode into a reused per-thread buffer
   * and one copy under the tag's lock; allocates nothing in the steady state.
   *
   * @throws IllegalArgumentException if {@code tag} is not a valid tag, or {@code time} is null
   * @throws BufferFullException only under {@link OverflowPolicy#THROW}
   */
  public void emit(String tag, EventTime time, Map<String, ?> record) {
    if (time == null) {
      throw new IllegalArgumentException("time must not be null");
    }
    emit(tag, time.seconds(), time.nanos(), record);
  }

  /**
   * Emits an event whose record {@code formatter} writes from {@code source} straight into the
   * encoding, without building a {@code Map}: the logging adapters' path. An exception from the
   * formatter drops the event ({@link DropReason#INVALID}); it is not thrown.
   *
   * @throws IllegalArgumentException if {@code tag} is not a valid tag or {@code epochSecond} /
   *     {@code nanos} are out of range
   * @throws BufferFullException only under {@link OverflowPolicy#THROW}
   */
  public <T> void emit(String tag, long epochSecond, int nanos, T source, RecordFormatter<? super T> formatter) {
    if (epochSecond < 0 || epochSecond > EventTime.MAX_SECONDS || nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("time out of range: " + epochSecond + "s " + nanos + "ns");
    }
    int slot = slotOfThisThread();
    EncoderState state = begin(tag, slot);
    if (state == null) {
      return;
    }
    try {
      EventEncoder enc = state.encoder;
      long replacedBefore = enc.replacedValues();
      try {
        enc.encode(epochSecond, nanos, source, formatter);
      } catch (Throwable e) {
        encodingFailed(e);
        return;
      }
      finish(tag, slot, enc, replacedBefore);
    } finally {
      giveBack(slot, state);
    }
  }

  /**
   * Starts an event whose record is written field by field, typed, without a {@code Map}: {@code
   * tributary.event("app.orders").put("id", 42).put("amount", 9.99).emit()}. Returns this thread's
   * reused {@link EventBuilder}, which holds one of the pooled encoders until {@link
   * EventBuilder#emit()}; see there for the rules (one open event per thread, keys unique, the
   * builder stays on its thread). An event still open on this thread is discarded and counted as
   * {@link DropReason#INVALID}.
   *
   * @throws IllegalArgumentException if {@code tag} is not a valid tag ({@link Tags})
   */
  public EventBuilder event(String tag) {
    return EventBuilder.open(this, tag);
  }

  /** Where this thread's encoder lives in the pool, and which stripe of a tag it appends to. */
  static int slotOfThisThread() {
    long id = Thread.currentThread().getId();
    return (int) ((id * 0x9E3779B97F4A7C15L) >>> 40);
  }

  /**
   * Checks the tag and counts the event; returns an encoder taken from the pool, or null when the
   * event is already accounted for (closed).
   */
  private EncoderState begin(String tag, int slot) {
    EncoderState state = borrowChecked(tag, slot);
    counters.emitted.increment();
    if (closing) {
      counters.dropped(DropReason.CLOSED, 1);
      giveBack(slot, state);
      return null;
    }
    return state;
  }

  /** An encoder from the pool for a valid {@code tag}; a bad tag is thrown, the encoder given back. */
  EncoderState borrowChecked(String tag, int slot) {
    EncoderState state = borrow(slot);
    if (tag != state.checkedTag || tag == null) { // a new encoder's checkedTag is null too
      try {
        Tags.check(tag);
      } catch (IllegalArgumentException e) {
        giveBack(slot, state);
        throw e;
      }
      state.checkedTag = tag;
    }
    return state;
  }

  private EncoderState borrow(int slot) {
    for (int i = 0; i < PROBES; i++) {
      EncoderState e = encoders.getAndSet((slot + i) & (ENCODER_SLOTS - 1), null);
      if (e != null) {
        return e;
      }
    }
    return new EncoderState(new EventEncoder(timeAsInteger, legacyMsgpack, maxEventBytes + 16));
  }

  void giveBack(int slot, EncoderState state) {
    for (int i = 0; i < PROBES; i++) {
      int at = (slot + i) & (ENCODER_SLOTS - 1);
      if (encoders.get(at) == null) {
        // a racing return to the same slot may replace this one: the loser is only garbage
        encoders.lazySet(at, state);
        return;
      }
    }
  }

  /** An event whose record could not be encoded is counted, never thrown, but for fatal errors. */
  private void encodingFailed(Throwable e) {
    if (e == EventTooLargeException.INSTANCE) {
      counters.dropped(DropReason.TOO_LARGE, 1);
      return;
    }
    counters.dropped(DropReason.INVALID, 1);
    SafeListener.rethrowIfFatal(e);
  }

  private void finish(String tag, int slot, EventEncoder enc, long replacedBefore) {
    if (enc.replacedValues() != replacedBefore) {
      counters.replacedValues.add(enc.replacedValues() - replacedBefore);
    }
    if (enc.size() > maxEventBytes) {
      counters.dropped(DropReason.TOO_LARGE, 1);
      return;
    }
    append(tag, slot, enc.array(), enc.size());
  }

  /**
   * Accounts for and appends an event an {@link EventBuilder} wrote into {@code enc}: counted as
   * emitted once, dropped as {@code failed} when its writing failed, stamped now unless it has a
   * time. The caller gives the encoder back.
   */
  void emitBuilt(String tag, int slot, EventEncoder enc, long replacedBefore, boolean timed, DropReason failed) {
    counters.emitted.increment();
    if (closing) {
      counters.dropped(DropReason.CLOSED, 1);
    } else if (failed != null) {
      counters.dropped(failed, 1);
    } else {
      if (!timed) {
        Instant now = clock.instant();
        enc.patchTime(now.getEpochSecond(), now.getNano());
      }
      finish(tag, slot, enc, replacedBefore);
    }
  }

  /** An event an {@link EventBuilder} opened and never emitted: counted once, as INVALID. */
  void discardedBuilt() {
    counters.emitted.increment();
    counters.dropped(DropReason.INVALID, 1);
  }

  private void emit(String tag, long seconds, int nanos, Map<String, ?> record) {
    int slot = slotOfThisThread();
    EncoderState state = begin(tag, slot);
    if (state == null) {
      return;
    }
    try {
      EventEncoder enc = state.encoder;
      long replacedBefore = enc.replacedValues();
      try {
        enc.encode(seconds, nanos, record);
      } catch (Throwable e) {
        encodingFailed(e);
        return;
      }
      finish(tag, slot, enc, replacedBefore);
    } finally {
      giveBack(slot, state);
    }
  }

  private void append(String tag, int stripe, byte[] bytes, int len) {
    long deadline = 0;
    while (true) {
      switch (accumulator.append(tag, stripe, bytes, len)) {
        case APPENDED:
          counters.buffered.increment();
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
      switch (config.overflowPolicy) {
        case DROP_NEWEST:
          counters.dropped(DropReason.BUFFER_FULL, 1);
          return;
        case THROW:
          counters.dropped(DropReason.BUFFER_FULL, 1);
          throw new BufferFullException("buffer full: " + store.budgetOption() + "=" + store.totalBytes()
              + ", held " + store.usedBytes() + " bytes; event of " + len + " bytes for tag "
              + tag + " not accepted");
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
            deadline = now + config.maxBlock.toNanos();
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
   * Seals every open chunk so the flusher sends it now instead of after {@code flushInterval}.
   * Returns at once; {@link #metrics()} shows when the events are delivered.
   */
  public void flush() {
    accumulator.sealAll();
    queue.wakeup();
  }

  /** A snapshot of this instance's counters. Cheap; safe to call from any thread at any time. */
  public TributaryMetrics metrics() {
    // every transition is counted where it happens; while nothing is in motion emitted = delivered
    // + buffered + inFlight + dropped + failed, and a chunk lost track of would break it
    long delivered = counters.delivered.sum();
    EnumMap<DropReason, Long> dropped = counters.droppedSnapshot();
    EnumMap<FailureReason, Long> failed = counters.failedSnapshot();
    long emitted = counters.emitted.sum();
    return new TributaryMetrics(emitted, delivered, counters.buffered.sum(), store.usedBytes(),
        counters.inFlight.sum(),
        dropped, failed, counters.retries.sum(), counters.failedChunks.sum(), counters.resent.sum(),
        counters.replacedValues.sum(), serverMetrics(), counters.recovered.sum(),
        fileStore == null ? 0 : fileStore.quarantinedChunks(), fileStore == null ? 0 : fileStore.quarantinedBytes(),
        counters.keptOnDisk.sum());
  }

  private List<ServerMetrics> serverMetrics() {
    List<ServerState> states = output.servers();
    List<ServerMetrics> l = new ArrayList<>(states.size());
    for (ServerState s : states) {
      ServerState.ErrorNote e = s.lastError();
      l.add(new ServerMetrics(s.address().toString(), s.spec().weight(), s.spec().standby(), s.connected(),
          s.healthy(), s.chunksSent(), s.chunksAcked(), s.chunksFailed(), e == null ? null : e.message(),
          e == null ? null : e.time()));
    }
    return l;
  }

  /**
   * Closes with the configured {@code closeTimeout}; see {@link #close(Duration)}, which also
   * returns how many events could not be delivered ({@link #metrics()} has it too).
   */
  @Override
  public void close() {
    close(config.closeTimeout);
  }

  /**
   * Stops intake (later {@code emit} calls are counted as {@link DropReason#CLOSED}), delivers
   * what is buffered until {@code timeout} has passed, then closes the connection and stops the
   * threads. Idempotent: later calls return the first call's result.
   *
   * <p>With a file buffer ({@code bufferPath}) the events not delivered by then stay on disk for
   * the next instance on the same directory: they are not lost, so not counted here, but in {@link
   * TributaryMetrics#keptOnDiskEvents()} (and said to the listener). The directory's lock is
   * released last.
   *
   * @return how many accepted events could not be delivered (also in {@link
   *     TributaryMetrics#failed(FailureReason)} under {@link FailureReason#UNDELIVERED_AT_CLOSE})
   */
  public long close(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
    }
    synchronized (closeLock) {
      if (undeliveredAtClose != null) {
        return undeliveredAtClose;
      }
      // a timeout beyond ~292 years is no timeout; the deadline arithmetic below wraps safely
      long deadline = System.nanoTime()
          + (timeout.compareTo(ConfigValues.MAX_DURATION) > 0 ? Long.MAX_VALUE : timeout.toNanos());
      closing = true;
      accumulator.close();
      store.endWaits();
      queue.wakeup();
      boolean interrupted = false;
      while (true) {
        // an interrupted caller still gets its drain; the flag is restored on the way out
        try {
          flusher.awaitDrained(Math.max(0, deadline - System.nanoTime()));
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      flusher.stop(new DeliveryException("closed before delivery", false));
      // the loop ends as soon as a blocked write is broken off; bound the wait all the same
      long stopWait = Math.max(TimeUnit.MILLISECONDS.toNanos(100), deadline - System.nanoTime());
      boolean stopped = false;
      long stopDeadline = System.nanoTime() + stopWait;
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
          flusherThread.interrupt();
          stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        }
      }
      long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (flusherThread.isAlive() && joinDeadline - System.nanoTime() > 0) {
        try {
          flusherThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      output.stopHeartbeat();
      store.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      undeliveredAtClose = counters.failedSnapshot().get(FailureReason.UNDELIVERED_AT_CLOSE);
      return undeliveredAtClose;
    }
  }

  /** This instance's name, as used in its thread names. */
  public String name() {
    return config.name;
  }

  /**
   * The largest encoded event accepted: {@code maxEventBytes}, or {@code chunkMaxBytes} when that
   * is 0. Text longer than this many characters can never be part of an accepted event.
   */
  public int maxEventBytes() {
    return maxEventBytes;
  }

  private Tributary start() {
    if (fileStore != null) {
      fileStore.start(config.name);
    }
    flusherThread.start();
    output.startHeartbeat();
    return this;
  }

  /**
   * Options of a {@link Tributary}. Each setter checks its value at once and names the option in
   * its {@link IllegalArgumentException}; {@link #build()} checks the options together. Not thread
   * safe; a builder may be reused after {@code build()}.
   */
  public static final class Builder {

    /** Size of the pages the byte budget hands out; chunks are made of pages. */
    static final int PAGE_SIZE = 32 * 1024;

    public static final String DEFAULT_NAME = "default";
    public static final boolean DEFAULT_REQUIRE_ACK = true;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    public static final long DEFAULT_BUFFER_MAX_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_CHUNK_MAX_BYTES = 1024 * 1024;
    public static final int DEFAULT_CHUNK_MAX_RECORDS = 0;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 6_000_000;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);
    public static final OverflowPolicy DEFAULT_OVERFLOW_POLICY = OverflowPolicy.BLOCK;
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofMillis(100);
    public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final int DEFAULT_RETRY_MAX_ATTEMPTS = 0;
    public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.ofHours(72);
    public static final int DEFAULT_MAX_IN_FLIGHT_CHUNKS = 16;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(30);
    public static final Compression DEFAULT_COMPRESSION = Compression.NONE;
    public static final int DEFAULT_REJECTED_ATTEMPTS = 3;
    /** A server's weight unless given, as in Fluentd. */
    public static final int DEFAULT_WEIGHT = ServerSpec.DEFAULT_WEIGHT;
    public static final HeartbeatType DEFAULT_HEARTBEAT_TYPE = HeartbeatType.TRANSPORT;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_PHI_THRESHOLD = 16;
    public static final Duration DEFAULT_HARD_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RECOVER_WAIT = Duration.ofSeconds(10);
    public static final FsyncMode DEFAULT_FSYNC = FsyncMode.ON_SEAL;
    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofSeconds(1);
    /** The file buffer's disk budget: an aggregator outage of hours at a few hundred KB/s. */
    public static final long DEFAULT_FILE_BUFFER_MAX_BYTES = 1L << 30;

    private String name = DEFAULT_NAME;
    private final List<ServerSpec> servers = new ArrayList<>();
    private boolean requireAck = DEFAULT_REQUIRE_ACK;
    private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private long bufferMaxBytes = DEFAULT_BUFFER_MAX_BYTES;
    private int chunkMaxBytes = DEFAULT_CHUNK_MAX_BYTES;
    private int chunkMaxRecords = DEFAULT_CHUNK_MAX_RECORDS;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
    private OverflowPolicy overflowPolicy = DEFAULT_OVERFLOW_POLICY;
    private Duration maxBlock = DEFAULT_MAX_BLOCK;
    private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;
    private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;
    private int retryMaxAttempts = DEFAULT_RETRY_MAX_ATTEMPTS;
    private Duration retryTimeout = DEFAULT_RETRY_TIMEOUT;
    private int maxInFlightChunks = DEFAULT_MAX_IN_FLIGHT_CHUNKS;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private Duration reportInterval = DEFAULT_REPORT_INTERVAL;
    private Compression compression = DEFAULT_COMPRESSION;
    private boolean timeAsInteger;
    private boolean legacyMsgpack;
    private int rejectedAttempts = DEFAULT_REJECTED_ATTEMPTS;
    private HeartbeatType heartbeatType = DEFAULT_HEARTBEAT_TYPE;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private int phiThreshold = DEFAULT_PHI_THRESHOLD;
    private Duration hardTimeout = DEFAULT_HARD_TIMEOUT;
    private Duration recoverWait = DEFAULT_RECOVER_WAIT;
    /** Null: chunks live on the heap. */
    private Path bufferPath;
    private FsyncMode fsync = DEFAULT_FSYNC;
    private Duration fsyncInterval = DEFAULT_FSYNC_INTERVAL;
    private long fileBufferMaxBytes = DEFAULT_FILE_BUFFER_MAX_BYTES;
    /** How chunk files get their space; tests replace it to make the disk look full. */
    FileChunkStore.Space fileSpace = FileChunkStore.Space.WRITE;
    /** 0: as large as {@code chunkMaxBytes}. */
    private int maxEventBytes;
    private TributaryListener listener;
    private javax.net.SocketFactory socketFactory = javax.net.SocketFactory.getDefault();
    private SecureOptions secure = new SecureOptions();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Name of the instance, used in thread names ({@code tributary-flusher-<name>}) and reports. Default {@code "default"}. */
    public Builder name(String name) {
      if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', was " + quote(name));
      }
      this.name = name;
      return this;
    }

    /**
     * Adds an aggregator of weight {@value #DEFAULT_WEIGHT}. Call once per server; at least one is
     * required. Chunks are spread over the servers by weight, so servers of equal weight share the
     * load; a server whose connection fails is passed over while the others take its chunks.
     */
    public Builder server(String host, int port) {
      return server(host, port, DEFAULT_WEIGHT, false);
    }

    /**
     * Adds an aggregator with its weight in the load balance (Fluentd's {@code weight}; 0 to list
     * it but send it nothing) and whether it is a standby (Fluentd's {@code standby}): a standby
     * takes chunks only while every primary server is down, and gives them back once one is up.
     *
     * <pre>{@code
     * builder.server("agg1", 24224, 60, false)
     *        .server("agg2", 24224, 40, false)
     *        .server("backup", 24224, 60, true);
     * }</pre>
     */
    public Builder server(String host, int port, int weight, boolean standby) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("server host must not be empty, was " + quote(host));
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("server port must be within 1..65535, was " + port);
      }
      if (weight < 0 || weight > ServerSpec.MAX_WEIGHT) {
        throw new IllegalArgumentException("server weight must be within 0.." + ServerSpec.MAX_WEIGHT + ", was " + weight);
      }
      servers.add(new ServerSpec(new ServerAddress(host.trim(), port), weight, standby));
      return this;
    }

    /**
     * Adds servers from a comma-separated list of {@code host:port} ({@code [v6addr]:port} for
     * IPv6), each optionally followed by {@code weight=N} and {@code standby}, the form the logging
     * adapters' configuration uses: {@code "agg1:24224 weight=60, agg2:24224 weight=40,
     * backup:24224 standby"}.
     */
    public Builder servers(String hostPortList) {
      return servers("servers", hostPortList);
    }

    private Builder servers(String option, String hostPortList) {
      for (ServerSpec spec : ServerListText.parse(option, hostPortList)) {
        server(spec.address().host(), spec.address().port(), spec.weight(), spec.standby());
      }
      return this;
    }

    /**
     * Ask for an ack per chunk and free a chunk only after its ack: at-least-once delivery
     * (duplicates possible after a lost ack, loss not). Default true. Off, a chunk counts as
     * delivered once written to the socket (at-most-once; a server crash loses what it had not
     * stored).
     */
    public Builder requireAck(boolean requireAck) {
      this.requireAck = requireAck;
      return this;
    }

    /** How long a written chunk may wait for its ack before the connection is dropped and the chunk resent. Default 60 s. */
    public Builder ackTimeout(Duration ackTimeout) {
      this.ackTimeout = positive("ackTimeout", ackTimeout);
      return this;
    }

    /** TCP connect timeout. Default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("connectTimeout must be below 24 days, was " + connectTimeout);
      }
      return this;
    }

    /** How long one request's write may block (a server that stopped reading) before the connection is dropped. Default 10 s. */
    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = positive("writeTimeout", writeTimeout);
      return this;
    }

    /** The byte budget for all chunks (open, sealed, in flight). Default 64 MiB. */
    public Builder bufferMaxBytes(long bufferMaxBytes) {
      if (bufferMaxBytes < 64 * 1024) {
        throw new IllegalArgumentException("bufferMaxBytes must be >= 65536, was " + bufferMaxBytes);
      }
      this.bufferMaxBytes = bufferMaxBytes;
      return this;
    }

    /**
     * A directory for the file buffer: set, every chunk lives in a memory-mapped file there instead
     * of on the heap, so a kill of the process loses no accepted event, and what a previous run left
     * is sent first. The directory is created if needed and locked: one instance per directory.
     * Unset (the default), chunks live on the heap.
     */
    public Builder bufferPath(Path bufferPath) {
      this.bufferPath = notNull("bufferPath", bufferPath);
      return this;
    }

    /** When the file buffer forces its files to the disk. Default {@link FsyncMode#ON_SEAL}. */
    public Builder fsync(FsyncMode fsync) {
      this.fsync = notNull("fsync", fsync);
      return this;
    }

    /** How often {@link FsyncMode#INTERVAL} forces the file buffer to the disk. Default 1 s. */
    public Builder fsyncInterval(Duration fsyncInterval) {
      this.fsyncInterval = positive("fsyncInterval", fsyncInterval);
      return this;
    }

    /**
     * The file buffer's disk budget: chunk files (each open one at its full {@code chunkMaxBytes})
     * never take more. The {@code overflowPolicy} applies to it as to memory. Default 1 GiB.
     */
    public Builder fileBufferMaxBytes(long fileBufferMaxBytes) {
      if (fileBufferMaxBytes < 64 * 1024) {
        throw new IllegalArgumentException("fileBufferMaxBytes must be >= 65536, was " + fileBufferMaxBytes);
      }
      this.fileBufferMaxBytes = fileBufferMaxBytes;
      return this;
    }

    /** A chunk seals before its entries would pass this size. Default 1 MiB. */
    public Builder chunkMaxBytes(int chunkMaxBytes) {
      if (chunkMaxBytes < 1024) {
        throw new IllegalArgumentException("chunkMaxBytes must be >= 1024, was " + chunkMaxBytes);
      }
      this.chunkMaxBytes = chunkMaxBytes;
      return this;
    }

    /** A chunk seals at this many events; 0 means no limit. Default 0. */
    public Builder chunkMaxRecords(int chunkMaxRecords) {
      if (chunkMaxRecords < 0) {
        throw new IllegalArgumentException("chunkMaxRecords must be >= 0, was " + chunkMaxRecords);
      }
      this.chunkMaxRecords = chunkMaxRecords;
      return this;
    }

    /**
     * Largest request sent; chunks are cut to fit, so no request is ever larger. Default
     * 6,000,000, under Fluent Bit's default {@code buffer_max_size} of 6,144,000 (it closes the
     * connection on larger requests).
     */
    public Builder maxRequestBytes(int maxRequestBytes) {
      if (maxRequestBytes < 1024) {
        throw new IllegalArgumentException("maxRequestBytes must be >= 1024, was " + maxRequestBytes);
      }
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    /**
     * The largest encoded event (its {@code [time, record]} entry) accepted; a larger one is
     * dropped as {@link DropReason#TOO_LARGE}, and its encoding stops as soon as it passes the
     * limit, so a huge value costs the caller no more than this many bytes of work. Default 0: the
     * same as {@code chunkMaxBytes}. An event must also fit a request: {@code maxRequestBytes} less the request's
     * framing (about 140 bytes plus the tag).
     */
    public Builder maxEventBytes(int maxEventBytes) {
      if (maxEventBytes != 0 && maxEventBytes < 64) {
        throw new IllegalArgumentException("maxEventBytes must be >= 64 (or 0: as chunkMaxBytes), was " + maxEventBytes);
      }
      this.maxEventBytes = maxEventBytes;
      return this;
    }

    /**
     * How many times a single event may go unacknowledged (or have the connection reset as the
     * server read it) while the same server acknowledges other requests, before it is given up as
     * {@link FailureReason#REJECTED}. A chunk the server does not acknowledge is split in two and
     * resent, down to single events, to find the events it refuses. Default 3.
     */
    public Builder rejectedAttempts(int rejectedAttempts) {
      if (rejectedAttempts < 1) {
        throw new IllegalArgumentException("rejectedAttempts must be >= 1, was " + rejectedAttempts);
      }
      this.rejectedAttempts = rejectedAttempts;
      return this;
    }

    /**
     * How each server is checked between chunks (Fluentd's {@code heartbeat_type}): {@link
     * HeartbeatType#TRANSPORT} (a connection made as for data, handshakes included, then closed),
     * {@link HeartbeatType#UDP} (Fluentd answers; Fluent Bit does not) or {@link
     * HeartbeatType#NONE} (no heartbeat thread, no failure detector). Default TRANSPORT.
     */
    public Builder heartbeatType(HeartbeatType heartbeatType) {
      if (heartbeatType == null) {
        throw new IllegalArgumentException("heartbeatType must not be null");
      }
      this.heartbeatType = heartbeatType;
      return this;
    }

    /** How often each server gets a heartbeat. Default 1 s. */
    public Builder heartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = positive("heartbeatInterval", heartbeatInterval);
      return this;
    }

    /**
     * The phi accrual failure detector detaches a server (no more chunks, its connection broken
     * and its unacknowledged chunks sent elsewhere) once phi passes this. With heartbeats every
     * second, 16 means about 37 s without a heartbeat; lower detects sooner, with more false
     * alarms on a busy network. Default 16, as Fluentd.
     */
    public Builder phiThreshold(int phiThreshold) {
      if (phiThreshold < 1) {
        throw new IllegalArgumentException("phiThreshold must be >= 1, was " + phiThreshold);
      }
      this.phiThreshold = phiThreshold;
      return this;
    }

    /** A server without a heartbeat for this long is detached whatever phi says. Default 60 s. */
    public Builder hardTimeout(Duration hardTimeout) {
      this.hardTimeout = positive("hardTimeout", hardTimeout);
      return this;
    }

    /**
     * A detached server takes chunks again once it has answered heartbeats for about this long
     * (more than {@code recoverWait / heartbeatInterval} heartbeats). Default 10 s.
     */
    public Builder recoverWait(Duration recoverWait) {
      this.recoverWait = nonNegative("recoverWait", recoverWait);
      return this;
    }

    /** How long an open chunk may linger before it is sealed and sent. Default 200 ms. */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = positive("flushInterval", flushInterval);
      return this;
    }

    /** What {@code emit} does when the byte budget is full. Default {@link OverflowPolicy#BLOCK}. */
    public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
      if (overflowPolicy == null) {
        throw new IllegalArgumentException("overflowPolicy must not be null");
      }
      this.overflowPolicy = overflowPolicy;
      return this;
    }

    /** Under {@link OverflowPolicy#BLOCK}, the longest an {@code emit} waits for memory. Default 100 ms. */
    public Builder maxBlock(Duration maxBlock) {
      this.maxBlock = nonNegative("maxBlock", maxBlock);
      return this;
    }

    /** First wait after a failed send; doubles per consecutive failure, with ±12.5% jitter. Default 100 ms. */
    public Builder retryInitialBackoff(Duration retryInitialBackoff) {
      this.retryInitialBackoff = positive("retryInitialBackoff", retryInitialBackoff);
      return this;
    }

    /** Longest wait between attempts. Default 10 s. */
    public Builder retryMaxBackoff(Duration retryMaxBackoff) {
      this.retryMaxBackoff = positive("retryMaxBackoff", retryMaxBackoff);
      return this;
    }

    /** A chunk is given up after this many failed attempts; 0 means no count limit. Default 0. */
    public Builder retryMaxAttempts(int retryMaxAttempts) {
      if (retryMaxAttempts < 0) {
        throw new IllegalArgumentException("retryMaxAttempts must be >= 0, was " + retryMaxAttempts);
      }
      this.retryMaxAttempts = retryMaxAttempts;
      return this;
    }

    /** A chunk is given up once this long has passed since its first failure. Default 72 h, as fluentd's retry_timeout. */
    public Builder retryTimeout(Duration retryTimeout) {
      this.retryTimeout = positive("retryTimeout", retryTimeout);
      return this;
    }

    /** With acks on, how many chunks may wait for their acks on one connection. Default 16. */
    public Builder maxInFlightChunks(int maxInFlightChunks) {
      if (maxInFlightChunks < 1) {
        throw new IllegalArgumentException("maxInFlightChunks must be >= 1, was " + maxInFlightChunks);
      }
      this.maxInFlightChunks = maxInFlightChunks;
      return this;
    }

    /** The timeout of {@link Tributary#close()}. Default 10 s. */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = nonNegative("closeTimeout", closeTimeout);
      return this;
    }

    /** How often drops and failures are summarised to the listener (at most). Default 30 s. */
    public Builder reportInterval(Duration reportInterval) {
      this.reportInterval = positive("reportInterval", reportInterval);
      return this;
    }

    /** {@link Compression#GZIP} sends CompressedPackedForward. Default {@link Compression#NONE}. */
    public Builder compression(Compression compression) {
      if (compression == null) {
        throw new IllegalArgumentException("compression must not be null");
      }
      this.compression = compression;
      return this;
    }

    /** Send times as integer seconds instead of EventTime (for fluentd v0.12 peers). Default false. */
    public Builder timeAsInteger(boolean timeAsInteger) {
      this.timeAsInteger = timeAsInteger;
      return this;
    }

    /**
     * Encode msgpack as fluentd v0.12's msgpack (before 0.6) reads it: no str8, no bin (entries
     * and byte arrays go as raw str). Combine with {@link #timeAsInteger(boolean)} for v0.12
     * peers. Default false.
     */
    public Builder legacyMsgpack(boolean legacyMsgpack) {
      this.legacyMsgpack = legacyMsgpack;
      return this;
    }

    /** Receives failures and drop summaries. Default: one line to standard error per report interval. */
    public Builder listener(TributaryListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null");
      }
      this.listener = listener;
      return this;
    }

    /** Creates the sockets (for example to bind a local address). Default {@link javax.net.SocketFactory#getDefault()}. */
    public Builder socketFactory(javax.net.SocketFactory socketFactory) {
      if (socketFactory == null) {
        throw new IllegalArgumentException("socketFactory must not be null");
      }
      this.socketFactory = socketFactory;
      return this;
    }

    /**
     * Connect with TLS (Fluentd's {@code transport tls}, Fluent Bit's {@code tls on}). The server's
     * certificate is verified against the JDK's trust (or {@link #tlsCaFile} / {@link
     * #tlsTrustStore}) and its host name checked, and the handshake completes inside connect,
     * bounded by {@code connectTimeout}. Default false.
     */
    public Builder tls(boolean tls) {
      secure.tls = tls;
      return this;
    }

    /** PEM file of CA certificates trusted in addition to the JDK's (Fluentd's {@code tls_cert_path}). */
    public Builder tlsCaFile(Path caFile) {
      secure.tlsCaFile = notNull("tlsCaFile", caFile);
      return this;
    }

    /** A key store (PKCS12, or JKS by its {@code .jks} name) of trusted certificates, used instead of the JDK's trust. */
    public Builder tlsTrustStore(Path trustStore) {
      secure.tlsTrustStore = notNull("tlsTrustStore", trustStore);
      return this;
    }

    /** The trust store's password. */
    public Builder tlsTrustStorePassword(String password) {
      secure.tlsTrustStorePassword = notNull("tlsTrustStorePassword", password);
      return this;
    }

    /** PEM certificate chain of this client, for mutual TLS; with {@link #tlsKeyFile}. */
    public Builder tlsCertFile(Path certFile) {
      secure.tlsCertFile = notNull("tlsCertFile", certFile);
      return this;
    }

    /** PEM private key (unencrypted PKCS#8, {@code BEGIN PRIVATE KEY}) of {@link #tlsCertFile}. */
    public Builder tlsKeyFile(Path keyFile) {
      secure.tlsKeyFile = notNull("tlsKeyFile", keyFile);
      return this;
    }

    /** A key store holding this client's key and certificate, for mutual TLS. */
    public Builder tlsKeyStore(Path keyStore) {
      secure.tlsKeyStore = notNull("tlsKeyStore", keyStore);
      return this;
    }

    /** The key store's password (also the key's). */
    public Builder tlsKeyStorePassword(String password) {
      secure.tlsKeyStorePassword = notNull("tlsKeyStorePassword", password);
      return this;
    }

    /** Lowest TLS version: {@code TLSv1.2} (default) or {@code TLSv1.3}. */
    public Builder tlsMinVersion(String version) {
      secure.tlsMinVersion = SecureOptions.tlsVersion("tlsMinVersion", version);
      return this;
    }

    /** Highest TLS version: {@code TLSv1.2} or {@code TLSv1.3} (default). */
    public Builder tlsMaxVersion(String version) {
      secure.tlsMaxVersion = SecureOptions.tlsVersion("tlsMaxVersion", version);
      return this;
    }

    /**
     * Turns off every TLS verification: any certificate, any host name. For a test setup only;
     * said once to the listener at start. Default false.
     */
    public Builder tlsInsecure(boolean insecure) {
      secure.tlsInsecure = insecure;
      return this;
    }

    /**
     * The shared key of the servers' {@code <security>}: every new connection runs the HELO /
     * PING / PONG handshake before any event, and the server must prove it knows the key too.
     * Never printed.
     */
    public Builder sharedKey(String sharedKey) {
      secure.sharedKey = SecureOptions.text("sharedKey", sharedKey);
      return this;
    }

    /** This client's name in the handshake (Fluentd's {@code self_hostname}). Default: the local host name. */
    public Builder selfHostname(String selfHostname) {
      secure.selfHostname = SecureOptions.text("selfHostname", selfHostname);
      return this;
    }

    /** User name for the servers' {@code <user>} authentication; with {@link #password}. */
    public Builder username(String username) {
      secure.username = SecureOptions.text("username", username);
      return this;
    }

    /** Password of {@link #username}. Never printed. */
    public Builder password(String password) {
      secure.password = SecureOptions.text("password", password);
      return this;
    }

    private static <T> T notNull(String option, T value) {
      if (value == null) {
        throw new IllegalArgumentException(option + " must not be null");
      }
      return value;
    }

    /** The clock that stamps events emitted without a time. Default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Sets an option from text, by the same name as its setter: the form the logging adapters'
     * configuration files use ({@code option("flushInterval", "500ms")}, {@code
     * option("servers", "agg1:24224,agg2:24224")}, {@code option("bufferMaxBytes", "64MiB")}).
     *
     * @throws IllegalArgumentException for an unknown option or a bad value, naming both
     */
    public Builder option(String name, String value) {
      if (name == null) {
        throw new IllegalArgumentException("option name must not be null");
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option \"" + name + "\"; known options: " + OPTIONS
            + (CODE_ONLY.contains(name) ? " (" + name + " is set in code only: Tributary.builder()." + name + "(...))" : ""));
      }
      try {
        return setOption(name, value);
      } catch (IllegalArgumentException e) {
        // a setter names the option and the parsed value; make sure the text as given shows too
        String m = e.getMessage();
        if (m != null && !m.contains(quote(value))) {
          throw new IllegalArgumentException(m + " (given as " + quote(value) + ")", e);
        }
        throw e;
      }
    }

    private Builder setOption(String name, String value) {
      switch (name) {
        case "name": return name(value);
        case "server":
        case "servers": return servers(name, value);
        case "requireAck": return requireAck(ConfigValues.bool(name, value));
        case "ackTimeout": return ackTimeout(ConfigValues.duration(name, value));
        case "connectTimeout": return connectTimeout(ConfigValues.duration(name, value));
        case "writeTimeout": return writeTimeout(ConfigValues.duration(name, value));
        case "bufferMaxBytes": return bufferMaxBytes(ConfigValues.bytes(name, value));
        case "bufferPath": return bufferPath(SecureOptions.path(name, value));
        case "fsync": return fsync(ConfigValues.enumValue(name, value, FsyncMode.class));
        case "fsyncInterval": return fsyncInterval(ConfigValues.duration(name, value));
        case "fileBufferMaxBytes": return fileBufferMaxBytes(ConfigValues.bytes(name, value));
        case "chunkMaxBytes": return chunkMaxBytes(intBytes(name, value));
        case "chunkMaxRecords": return chunkMaxRecords(ConfigValues.integer(name, value));
        case "maxRequestBytes": return maxRequestBytes(intBytes(name, value));
        case "flushInterval": return flushInterval(ConfigValues.duration(name, value));
        case "overflowPolicy": return overflowPolicy(ConfigValues.enumValue(name, value, OverflowPolicy.class));
        case "maxBlock": return maxBlock(ConfigValues.duration(name, value));
        case "retryInitialBackoff": return retryInitialBackoff(ConfigValues.duration(name, value));
        case "retryMaxBackoff": return retryMaxBackoff(ConfigValues.duration(name, value));
        case "retryMaxAttempts": return retryMaxAttempts(ConfigValues.integer(name, value));
        case "retryTimeout": return retryTimeout(ConfigValues.duration(name, value));
        case "maxInFlightChunks": return maxInFlightChunks(ConfigValues.integer(name, value));
        case "closeTimeout": return closeTimeout(ConfigValues.duration(name, value));
        case "reportInterval": return reportInterval(ConfigValues.duration(name, value));
        case "compression": return compression(ConfigValues.enumValue(name, value, Compression.class));
        case "timeAsInteger": return timeAsInteger(ConfigValues.bool(name, value));
        case "legacyMsgpack": return legacyMsgpack(ConfigValues.bool(name, value));
        case "maxEventBytes": return maxEventBytes(intBytes(name, value));
        case "rejectedAttempts": return rejectedAttempts(ConfigValues.integer(name, value));
        case "heartbeatType": return heartbeatType(ConfigValues.enumValue(name, value, HeartbeatType.class));
        case "heartbeatInterval": return heartbeatInterval(ConfigValues.duration(name, value));
        case "phiThreshold": return phiThreshold(ConfigValues.integer(name, value));
        case "hardTimeout": return hardTimeout(ConfigValues.duration(name, value));
        case "recoverWait": return recoverWait(ConfigValues.duration(name, value));
        case "tls": return tls(ConfigValues.bool(name, value));
        case "tlsInsecure": return tlsInsecure(ConfigValues.bool(name, value));
        case "tlsCaFile": return tlsCaFile(SecureOptions.path(name, value));
        case "tlsTrustStore": return tlsTrustStore(SecureOptions.path(name, value));
        case "tlsTrustStorePassword": return tlsTrustStorePassword(SecureOptions.text(name, value));
        case "tlsCertFile": return tlsCertFile(SecureOptions.path(name, value));
        case "tlsKeyFile": return tlsKeyFile(SecureOptions.path(name, value));
        case "tlsKeyStore": return tlsKeyStore(SecureOptions.path(name, value));
        case "tlsKeyStorePassword": return tlsKeyStorePassword(SecureOptions.text(name, value));
        case "tlsMinVersion": return tlsMinVersion(value);
        case "tlsMaxVersion": return tlsMaxVersion(value);
        case "sharedKey": return sharedKey(value);
        case "selfHostname": return selfHostname(value);
        case "username": return username(value);
        case "password": return password(value);
        default:
          throw new IllegalArgumentException("unknown option \"" + name + "\"; known options: " + OPTIONS);
      }
    }

    /**
     * The names {@link #option(String, String)} knows: every option but the three that take an
     * object ({@link #listener}, {@link #socketFactory}, {@link #clock}), which are set in code only.
     */
    public static final java.util.List<String> OPTIONS = java.util.List.of("name", "server", "servers", "requireAck",
        "ackTimeout", "connectTimeout", "writeTimeout", "bufferMaxBytes", "bufferPath", "fsync", "fsyncInterval",
        "fileBufferMaxBytes", "chunkMaxBytes",
        "chunkMaxRecords", "maxRequestBytes", "flushInterval", "overflowPolicy", "maxBlock",
        "retryInitialBackoff", "retryMaxBackoff", "retryMaxAttempts", "retryTimeout",
        "maxInFlightChunks", "closeTimeout", "reportInterval", "compression", "timeAsInteger",
        "legacyMsgpack", "maxEventBytes", "rejectedAttempts", "heartbeatType", "heartbeatInterval",
        "phiThreshold", "hardTimeout", "recoverWait", "tls", "tlsCaFile", "tlsTrustStore",
        "tlsTrustStorePassword", "tlsCertFile", "tlsKeyFile", "tlsKeyStore", "tlsKeyStorePassword",
        "tlsMinVersion", "tlsMaxVersion", "tlsInsecure", "sharedKey", "selfHostname", "username",
        "password");

    /** Options that take an object, so have a setter but no text form in {@link #option}. */
    private static final java.util.List<String> CODE_ONLY = java.util.List.of("listener", "socketFactory", "clock");

    private static int intBytes(String name, String value) {
      long n = ConfigValues.bytes(name, value);
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " must be below 2 GiB, was \"" + value + "\"");
      }
      return (int) n;
    }

    /** The overflow policy set so far (adapters refuse {@link OverflowPolicy#THROW}). */
    public OverflowPolicy overflowPolicy() {
      return overflowPolicy;
    }

    /**
     * Checks the options together and starts a new instance (its flusher thread starts here).
     *
     * @throws IllegalArgumentException naming the option that is missing or inconsistent
     */
    public Tributary build() {
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("server is required: call server(host, port) at least once");
      }
      if (servers.stream().allMatch(s -> s.weight() == 0)) {
        throw new IllegalArgumentException("servers: every server has weight 0, so none would take events: " + servers);
      }
      if (heartbeatType != HeartbeatType.NONE && hardTimeout.compareTo(heartbeatInterval) <= 0) {
        throw new IllegalArgumentException("hardTimeout (" + hardTimeout + ") must be longer than heartbeatInterval ("
            + heartbeatInterval + "): every server would be detached between two heartbeats");
      }
      if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
        throw new IllegalArgumentException("retryMaxBackoff (" + retryMaxBackoff
            + ") must be >= retryInitialBackoff (" + retryInitialBackoff + ")");
      }
      if (maxEventBytes > chunkMaxBytes) {
        throw new IllegalArgumentException("maxEventBytes (" + maxEventBytes
            + ") must be <= chunkMaxBytes (" + chunkMaxBytes + "): an event must fit a chunk");
      }
      if (compression == Compression.GZIP && legacyMsgpack) {
        throw new IllegalArgumentException("compression GZIP cannot be combined with legacyMsgpack: fluentd v0.12 cannot read it");
      }
      Builder copy = copy();
      FileChunkStore fileStore = null;
      if (bufferPath != null) {
        long chunkFile = FileChunkStore.fileSize(chunkMaxBytes);
        if (fileBufferMaxBytes < 2 * chunkFile) {
          throw new IllegalArgumentException("fileBufferMaxBytes (" + fileBufferMaxBytes + ") must hold at least two"
              + " chunk files of " + chunkFile + " bytes (chunkMaxBytes " + chunkMaxBytes + " plus the header)");
        }
        // locks the directory: released again if the rest of the start fails
        fileStore = FileChunkStore.open(bufferPath, fileBufferMaxBytes, chunkMaxBytes, fsync,
            fsyncInterval.toNanos(), reportInterval.toNanos(), fileSpace);
      }
      try {
        return new Tributary(copy, fileStore).start();
      } catch (RuntimeException | Error e) {
        if (fileStore != null) {
          fileStore.close();
        }
        throw e;
      }
    }

    private Builder copy() {
      Builder b = new Builder();
      b.name = name;
      b.servers.addAll(servers);
      b.requireAck = requireAck;
      b.ackTimeout = ackTimeout;
      b.connectTimeout = connectTimeout;
      b.writeTimeout = writeTimeout;
      b.bufferMaxBytes = bufferMaxBytes;
      b.chunkMaxBytes = chunkMaxBytes;
      b.chunkMaxRecords = chunkMaxRecords;
      b.maxRequestBytes = maxRequestBytes;
      b.flushInterval = flushInterval;
      b.overflowPolicy = overflowPolicy;
      b.maxBlock = maxBlock;
      b.retryInitialBackoff = retryInitialBackoff;
      b.retryMaxBackoff = retryMaxBackoff;
      b.retryMaxAttempts = retryMaxAttempts;
      b.retryTimeout = retryTimeout;
      b.maxInFlightChunks = maxInFlightChunks;
      b.closeTimeout = closeTimeout;
      b.reportInterval = reportInterval;
      b.compression = compression;
      b.timeAsInteger = timeAsInteger;
      b.legacyMsgpack = legacyMsgpack;
      b.maxEventBytes = maxEventBytes;
      b.rejectedAttempts = rejectedAttempts;
      b.heartbeatType = heartbeatType;
      b.heartbeatInterval = heartbeatInterval;
      b.phiThreshold = phiThreshold;
      b.hardTimeout = hardTimeout;
      b.recoverWait = recoverWait;
      b.bufferPath = bufferPath;
      b.fsync = fsync;
      b.fsyncInterval = fsyncInterval;
      b.fileBufferMaxBytes = fileBufferMaxBytes;
      b.fileSpace = fileSpace;
      b.listener = listener;
      b.socketFactory = socketFactory;
      b.clock = clock;
      b.secure = secure.copy();
      return b;
    }

    private static Duration positive(String option, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(option + " must be > 0, was " + d);
      }
      return notTooLong(option, d);
    }

    private static Duration nonNegative(String option, Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(option + " must be >= 0, was " + d);
      }
      return notTooLong(option, d);
    }

    private static Duration notTooLong(String option, Duration d) {
      if (d.compareTo(ConfigValues.MAX_DURATION) > 0) {
        throw new IllegalArgumentException(option + " must be at most " + ConfigValues.MAX_DURATION.toDays()
            + "d (about 292 years), was " + d);
      }
      return d;
    }

    private static String quote(String s) {
      return s == null ? "null" : "\"" + s + "\"";
    }
  }
}
