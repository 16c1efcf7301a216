package dev.tributary;

import dev.tributary.internal.buffer.FileChunkStore;
import dev.tributary.internal.codec.EventEncoder;
import dev.tributary.internal.codec.EventTooLargeException;
import dev.tributary.internal.codec.MsgpackBuffer;
import dev.tributary.internal.flush.OutputPipeline;
import dev.tributary.internal.filter.FilterChain;
import dev.tributary.internal.filter.FilterScratch;
import dev.tributary.internal.filter.RecordDecoder;
import dev.tributary.internal.filter.Records;
import dev.tributary.internal.forward.ForwardOutput;
import dev.tributary.internal.forward.HealthSettings;
import dev.tributary.internal.forward.ServerAddress;
import dev.tributary.internal.forward.ServerSpec;
import dev.tributary.internal.forward.ServerState;
import dev.tributary.internal.jmx.JmxRegistration;
import dev.tributary.internal.jmx.TributaryMBean;
import dev.tributary.internal.metrics.Counters;
import dev.tributary.internal.output.DeliverySink;
import dev.tributary.internal.output.JsonLinesOutput;
import dev.tributary.internal.output.NullOutput;
import dev.tributary.internal.output.Output;
import dev.tributary.internal.output.RotatingFile;
import dev.tributary.internal.output.StreamTarget;
import dev.tributary.internal.report.LossSummary;
import dev.tributary.internal.report.SafeListener;
import dev.tributary.internal.report.StderrListener;
import dev.tributary.internal.route.Router;
import dev.tributary.internal.route.TagPattern;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * Builder#build()} and stopped by {@link #close()}. Unless {@code jmx} is off, {@code build()} also
 * registers an MBean {@code dev.tributary:type=Tributary,name=<name>} on the platform MBean server
 * (its {@link #metrics()} and {@link #health()}; a name already taken gets the first free of {@code
 * <name>-2}, {@code <name>-3}, ..., and the listener is told), and {@code close()} removes it.
 *
 * <p>With outputs of your own ({@link Builder#output}, {@link Builder#match}), each output has
 * its own buffer and flusher thread ({@code tributary-flusher-<name>:<output>}, and for a forward
 * output its own {@code tributary-acks-<name>:<output>} and {@code
 * tributary-heartbeat-<name>:<output>}); an event is encoded once and its bytes appended to each
 * output its route names.
 *
 * <p>With {@code bufferPath} set, each output's chunks live in memory-mapped files instead of on the
 * heap, and the instance owns each output's directory (its lock and chunk files) and a thread
 * {@code tributary-files-<name>} ({@code tributary-files-<name>:<output>} for a declared output)
 * that makes and persists them (see {@link Builder#bufferPath}).
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
  /** The instance's own counts: drops before routing, replaced values. Outputs count the rest. */
  private final Counters counters = new Counters();
  /** Copies beyond the first of events routed to several outputs. */
  private final LongAdder extraCopies = new LongAdder();
  private final OutputPipeline[] pipelines;
  private final String[] outputTypes;
  private final Router<OutputPipeline> router;
  private final TributaryListener listener;
  private final HealthMonitor healthMonitor;
  private volatile JmxRegistration jmx;
  private final AtomicReferenceArray<EncoderState> encoders =
      new AtomicReferenceArray<>(ENCODER_ARRAY_LENGTH);
  private final int maxEventBytes;
  private final boolean timeAsInteger;
  private final boolean legacyMsgpack;
  /** The filters, or null when there are none: then an event pays one null check for them. */
  private final FilterChain filters;
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
  /**
   * Slots are 2^4 references apart, a cache line at least: threads that take and return encoders
   * at the same time on neighbouring slots do not pass one line back and forth on every call. The
   * first slot is one spacing in, so that none shares a line with the array's length, which every
   * call reads, nor, the last slot being as far from the end, with the object after the array.
   */
  private static final int SLOT_SPACING = 4;
  static final int ENCODER_ARRAY_LENGTH = (ENCODER_SLOTS + 1) << SLOT_SPACING;

  /** A reusable encoder, the last tag that passed the check with it, and that tag's outputs. */
  static final class EncoderState {
    final EventEncoder encoder;
    String checkedTag;
    OutputPipeline[] targets;
    /** For the filters, made on first use: what they reuse, the event, and the sink that encodes it here. */
    FilterScratch scratch;
    Filter.Event event;
    Consumer<Filter.Event> sink;
    /** The slot the encoder was taken from by the filtered emit holding it. */
    int slot;

    EncoderState(EventEncoder encoder) {
      this.encoder = encoder;
    }
  }

  /**
   * @param fileStores each output's file buffer by output name, opened and locked by the builder;
   *     empty without {@code bufferPath}. The pipelines own them from here on.
   */
  private Tributary(Builder b, Map<String, FileChunkStore> fileStores) {
    this.config = b;
    this.clock = b.clock;
    int largestChunk = b.chunkMaxBytes;
    for (Outputs.Spec<?> spec : b.outputs.values()) {
      largestChunk = Math.max(largestChunk, spec.chunkMaxBytes != null ? spec.chunkMaxBytes : b.chunkMaxBytes);
    }
    this.maxEventBytes = b.maxEventBytes > 0 ? b.maxEventBytes : largestChunk;
    TributaryListener listener = new SafeListener(b.listener != null ? b.listener
        : new StderrListener(b.name, b.reportInterval.toNanos(), System.err));
    Map<String, Outputs.Spec<?>> outputs = b.outputs;
    boolean implicit = outputs.isEmpty();
    if (implicit) {
      outputs = Map.of(Builder.DEFAULT_OUTPUT, Outputs.forward());
    }
    this.pipelines = new OutputPipeline[outputs.size()];
    this.outputTypes = new String[outputs.size()];
    Map<String, OutputPipeline> byName = new HashMap<>();
    List<Counters> reported = new ArrayList<>();
    reported.add(counters);
    int i = 0;
    for (Map.Entry<String, Outputs.Spec<?>> e : outputs.entrySet()) {
      OutputPipeline p = newPipeline(b, e.getKey(), e.getValue(), implicit, fileStores.get(e.getKey()), listener);
      pipelines[i] = p;
      outputTypes[i++] = e.getValue().type();
      byName.put(e.getKey(), p);
      reported.add(p.counters());
    }
    LossSummary summary = new LossSummary(reported, System::nanoTime, b.reportInterval.toNanos());
    for (OutputPipeline p : pipelines) {
      p.summary(summary);
    }
    List<Router.Route<OutputPipeline>> routes = new ArrayList<>();
    if (b.routes.isEmpty()) {
      routes.add(new Router.Route<>(TagPattern.compile("**"), pipelines.clone()));
    }
    for (Builder.RouteSpec r : b.routes) {
      OutputPipeline[] to = new OutputPipeline[r.outputs.size()];
      for (int k = 0; k < to.length; k++) {
        to[k] = byName.get(r.outputs.get(k));
      }
      routes.add(new Router.Route<>(r.pattern, to));
    }
    this.router = new Router<>(routes, new OutputPipeline[0]);
    this.listener = listener;
    List<ServerState> servers = new ArrayList<>();
    long budget = 0;
    long fullMargin = 0;
    for (OutputPipeline p : pipelines) {
      if (p.output() instanceof ForwardOutput) {
        servers.addAll(((ForwardOutput) p.output()).servers());
      }
      // a file-backed output counts its disk budget, and is full when one more chunk file would not fit
      budget += p.budgetBytes();
      fullMargin = Math.max(fullMargin, p.fullMarginBytes());
    }
    long budgetBytes = budget;
    this.healthMonitor = new HealthMonitor(servers, this::metrics, () -> usedBytes(), budgetBytes,
        fullMargin, () -> closing, System::nanoTime, b.retryTimeout.toNanos(),
        b.reportInterval.toNanos());
    if (b.secure.tls && b.secure.tlsInsecure) {
      listener.onWarning("tlsInsecure is on: the servers' certificates and host names are NOT verified;"
          + " anyone on the path can read and change the events");
    }
    this.timeAsInteger = b.timeAsInteger;
    this.legacyMsgpack = b.legacyMsgpack;
    this.filters = b.filters.isEmpty() ? null : new FilterChain(b.filters, counters);
    if (filters != null) {
      FilterChain chain = filters;
      pipelines[0].alsoReport(() -> chain.report(listener));
    }
    if (b.bufferPath != null) {
      warnOfStrayChunkFiles(b.bufferPath, implicit, outputs.keySet(), listener);
    }
  }

  /**
   * Chunk files a run with the other layout left (in {@code bufferPath} itself when outputs are now
   * declared, in a subdirectory when none is) are not recovered by this instance: the listener is
   * told where they are, so a change of layout never hides events silently.
   */
  private static void warnOfStrayChunkFiles(Path bufferPath, boolean implicit, java.util.Set<String> outputs,
      TributaryListener listener) {
    List<Path> stray = new ArrayList<>();
    if (!implicit) {
      if (FileChunkStore.chunkFiles(bufferPath) > 0) {
        stray.add(bufferPath);
      }
    } else {
      try (java.nio.file.DirectoryStream<Path> ds = java.nio.file.Files.newDirectoryStream(bufferPath,
          java.nio.file.Files::isDirectory)) {
        for (Path d : ds) {
          if (!d.getFileName().toString().equals(FileChunkStore.QUARANTINE) && FileChunkStore.chunkFiles(d) > 0) {
            stray.add(d);
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        return; // the store read the directory already; nothing more to say
      }
    }
    for (Path d : stray) {
      listener.onWarning(FileChunkStore.chunkFiles(d) + " chunk file(s) in " + d + " are not sent by this instance: "
          + (implicit ? "without declared outputs the file buffer is bufferPath itself; they were left by a run"
              + " whose output " + d.getFileName() + " had bufferPath/" + d.getFileName() + "/"
              : "with declared outputs " + outputs + " each has bufferPath/<output>/; they were left by a run"
              + " without declared outputs")
          + ". Start an instance with that layout on the directory to send them");
    }
  }

  /**
   * One output's pipeline: its buffer settings are the spec's where set, else the builder's. The
   * default output keeps the thread names of a single-output instance ({@code
   * tributary-flusher-<name>}, {@code tributary-files-<name>}); a declared one adds its name
   * ({@code tributary-flusher-<name>:<output>}, {@code tributary-files-<name>:<output>}).
   *
   * @param fileStore the output's file buffer, or null for memory
   */
  private static OutputPipeline newPipeline(Builder b, String outputName, Outputs.Spec<?> spec, boolean implicit,
      FileChunkStore fileStore, TributaryListener listener) {
    String threadSuffix = implicit ? b.name : b.name + ":" + outputName;
    OutputPipeline.Settings s = new OutputPipeline.Settings();
    s.name = outputName;
    s.threadName = "tributary-flusher-" + threadSuffix;
    s.fileStore = fileStore;
    s.filesThreadSuffix = threadSuffix;
    s.bufferMaxBytes = spec.bufferMaxBytes != null ? spec.bufferMaxBytes : b.bufferMaxBytes;
    s.chunkMaxBytes = spec.chunkMaxBytes != null ? spec.chunkMaxBytes : b.chunkMaxBytes;
    s.chunkMaxRecords = spec.chunkMaxRecords != null ? spec.chunkMaxRecords : b.chunkMaxRecords;
    s.flushIntervalNanos = (spec.flushInterval != null ? spec.flushInterval : b.flushInterval).toNanos();
    s.overflowPolicy = spec.overflowPolicy != null ? spec.overflowPolicy : b.overflowPolicy;
    s.retryMaxAttempts = spec.retryMaxAttempts != null ? spec.retryMaxAttempts : b.retryMaxAttempts;
    s.retryTimeoutNanos = (spec.retryTimeout != null ? spec.retryTimeout : b.retryTimeout).toNanos();
    s.retryInitialBackoffNanos = b.retryInitialBackoff.toNanos();
    s.retryMaxBackoffNanos = b.retryMaxBackoff.toNanos();
    s.rejectedAttempts = b.rejectedAttempts;
    s.reportIntervalNanos = b.reportInterval.toNanos();
    s.maxBlockNanos = b.maxBlock.toNanos();
    s.stripes = STRIPES;
    int chunkMaxBytes = s.chunkMaxBytes;
    s.maxChunkBytes = tag -> chunkMaxBytes;
    Function<DeliverySink, Output> factory;
    if (spec instanceof Outputs.Forward) {
      Outputs.Forward f = (Outputs.Forward) spec;
      List<ServerSpec> servers = f.servers.isEmpty() ? b.servers : f.servers;
      boolean requireAck = f.requireAck != null ? f.requireAck : b.requireAck;
      int maxRequestBytes = b.maxRequestBytes;
      // a chunk's entries plus the request around them (tag, headers, options) fit maxRequestBytes
      s.maxChunkBytes = tag -> Math.min(chunkMaxBytes,
          maxRequestBytes - ForwardOutput.requestOverhead(MsgpackBuffer.utf8Length(tag)));
      ForwardOutput[] made = new ForwardOutput[1];
      factory = sink -> made[0] = new ForwardOutput(servers, b.socketFactory, (int) b.connectTimeout.toMillis(),
          requireAck, b.ackTimeout.toNanos(), b.writeTimeout.toNanos(), b.maxInFlightChunks,
          b.compression == Compression.GZIP, b.legacyMsgpack, System::nanoTime, sink, listener, threadSuffix,
          b.secure.tlsSettings(), b.secure.sharedKeySettings(),
          new HealthSettings(b.heartbeatType, b.heartbeatInterval.toNanos(), b.phiThreshold,
              b.hardTimeout.toNanos(), b.recoverWait.toNanos(), b.retryInitialBackoff.toNanos(),
              b.retryMaxBackoff.toNanos()), b.clock);
      s.startHook = () -> made[0].startHeartbeat();
      s.stopHook = () -> made[0].stopHeartbeat();
    } else if (spec instanceof Outputs.Stdout) {
      OutputStream out = ((Outputs.Stdout) spec).stream != null ? ((Outputs.Stdout) spec).stream : System.out;
      factory = sink -> new JsonLinesOutput(new StreamTarget(out), sink);
    } else if (spec instanceof Outputs.File) {
      Outputs.File f = (Outputs.File) spec;
      factory = sink -> new JsonLinesOutput(
          new RotatingFile(f.path, f.maxFileBytes, f.rotateInterval.toMillis(), b.clock), sink);
    } else {
      factory = NullOutput::new;
    }
    return new OutputPipeline(s, factory, listener);
  }

  /**
   * A builder set from a configuration file in Fluentd's syntax: paste the {@code <match>} section
   * of a Fluentd configuration ({@code @type forward} with its {@code <server>}, {@code <buffer>},
   * {@code <security>} and TLS parameters) and it means here what it means there. Code may set more
   * options on the builder before {@link Builder#build()} ({@code listener}, say). {@code
   * ${env:NAME}} in a value is the environment variable. README lists the subset.
   *
   * <pre>{@code
   * try (Tributary t = Tributary.fromConfig(Path.of("tributary.conf")).build()) { ... }
   * }</pre>
   *
   * @throws ConfigFileException naming the file, line and word of anything it cannot use
   */
  public static Builder fromConfig(java.nio.file.Path file) {
    Builder b = builder();
    dev.tributary.internal.config.ConfigFileReader.apply(
        dev.tributary.internal.config.ConfigParser.read(file, System::getenv), b);
    return b;
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
    if (filters != null) {
      filterFormatted(tag, epochSecond, nanos, source, formatter);
      return;
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
      finish(tag, slot, enc, replacedBefore, state.targets);
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

  /**
   * Where this thread's encoder lives in the pool, and which stripe of a tag it appends to: its id,
   * as is. Thread ids are handed out in sequence and the threads that log together (a request pool,
   * a benchmark's threads) are mostly made together, so the low bits of their ids differ: up to
   * the number of stripes of them append to stripes of their own, where ids hashed would put two
   * on one stripe (and one lock) now and then.
   */
  static int slotOfThisThread() {
    return (int) Thread.currentThread().getId();
  }

  /**
   * Checks the tag and counts the event; returns an encoder taken from the pool, or null when the
   * event is already accounted for (closed).
   */
  private EncoderState begin(String tag, int slot) {
    EncoderState state = borrowChecked(tag, slot);
    if (closing || state.targets.length == 0) {
      // an event no route takes is not worth encoding
      counters.dropped(closing ? DropReason.CLOSED : DropReason.UNMATCHED, 1);
      giveBack(slot, state);
      return null;
    }
    return state;
  }

  /** An encoder from the pool for a valid {@code tag}; a bad tag is thrown, the encoder given back. */
  EncoderState borrowChecked(String tag, int slot) {
    EncoderState state = borrow(slot);
    if (tag != state.checkedTag || tag == null) { // a new encoder's checkedTag is null too
      OutputPipeline[] targets = tag == null ? null : router.route(tag);
      // a tag an output holds was checked when it came first; with many tags this lookup finds
      // what the append looks up next anyway, where the check would walk the tag's characters
      if (targets == null || targets.length == 0 || !targets[0].holds(tag)) {
        try {
          Tags.check(tag);
        } catch (IllegalArgumentException e) {
          giveBack(slot, state);
          throw e;
        }
      }
      state.checkedTag = tag;
      state.targets = targets;
    }
    return state;
  }

  /** Where slot {@code slot} (any int, taken modulo the slots) is in {@link #encoders}. */
  static int slotIndex(int slot) {
    return ((slot & (ENCODER_SLOTS - 1)) + 1) << SLOT_SPACING;
  }

  private EncoderState borrow(int slot) {
    for (int i = 0; i < PROBES; i++) {
      EncoderState e = encoders.getAndSet(slotIndex(slot + i), null);
      if (e != null) {
        return e;
      }
    }
    return new EncoderState(new EventEncoder(timeAsInteger, legacyMsgpack, maxEventBytes + 16));
  }

  void giveBack(int slot, EncoderState state) {
    for (int i = 0; i < PROBES; i++) {
      int at = slotIndex(slot + i);
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

  private void finish(String tag, int slot, EventEncoder enc, long replacedBefore, OutputPipeline[] targets) {
    if (enc.replacedValues() != replacedBefore) {
      counters.replacedValues.add(enc.replacedValues() - replacedBefore);
    }
    if (enc.size() > maxEventBytes) {
      counters.dropped(DropReason.TOO_LARGE, 1);
      return;
    }
    route(tag, slot, enc.array(), enc.size(), targets);
  }

  /**
   * Appends the encoded event to each output its route names: the same bytes to each, encoded
   * once. Every output takes its copy, even when one of them throws {@link BufferFullException}
   * (thrown afterwards), so one full output never keeps the event from the others.
   */
  private void route(String tag, int stripe, byte[] bytes, int len, OutputPipeline[] targets) {
    if (targets.length == 1) {
      targets[0].append(tag, stripe, bytes, len);
      return;
    }
    if (targets.length == 0) {
      counters.dropped(DropReason.UNMATCHED, 1);
      return;
    }
    extraCopies.add(targets.length - 1);
    BufferFullException full = null;
    for (OutputPipeline p : targets) {
      try {
        p.append(tag, stripe, bytes, len);
      } catch (BufferFullException e) {
        if (full == null) {
          full = e;
        }
      }
    }
    if (full != null) {
      throw full;
    }
  }

  /**
   * Accounts for and appends an event an {@link EventBuilder} wrote into {@code enc}: counted as
   * emitted once, dropped as {@code failed} when its writing failed, stamped now unless it has a
   * time. The caller gives the encoder back.
   */
  void emitBuilt(String tag, int slot, EventEncoder enc, long replacedBefore, boolean timed, DropReason failed) {
    if (closing) {
      counters.dropped(DropReason.CLOSED, 1);
    } else if (failed != null) {
      counters.dropped(failed, 1);
    } else if (filters != null) {
      filterBuilt(tag, slot, enc, replacedBefore, timed);
    } else {
      if (!timed) {
        Instant now = clock.instant();
        enc.patchTime(now.getEpochSecond(), now.getNano());
      }
      finish(tag, slot, enc, replacedBefore, router.route(tag));
    }
  }

  /** An event an {@link EventBuilder} opened and never emitted: counted once, as INVALID. */
  void discardedBuilt() {
    counters.dropped(DropReason.INVALID, 1);
  }

  private void emit(String tag, long seconds, int nanos, Map<String, ?> record) {
    if (filters != null) {
      filterMap(tag, seconds, nanos, record);
      return;
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
        enc.encode(seconds, nanos, record);
      } catch (Throwable e) {
        encodingFailed(e);
        return;
      }
      finish(tag, slot, enc, replacedBefore, state.targets);
    } finally {
      giveBack(slot, state);
    }
  }

  // ---- filters: the record as a map the filters may change, then encoded as emit(tag, map) does

  /**
   * Checks the tag and takes an encoder, with what the filters reuse from event to event; null
   * when the event is accounted for already (closed). Routing waits for the tag the filters leave.
   */
  private EncoderState beginFiltered(String tag, int slot) {
    EncoderState state = borrowChecked(tag, slot);
    if (closing) {
      counters.dropped(DropReason.CLOSED, 1);
      giveBack(slot, state);
      return null;
    }
    if (state.scratch == null) {
      EncoderState s = state;
      state.scratch = new FilterScratch();
      state.event = new Filter.Event(tag, 0, 0, null, true);
      state.sink = e -> encodeFiltered(e, s);
    }
    state.slot = slot;
    return state;
  }

  private void filterMap(String tag, long seconds, int nanos, Map<String, ?> record) {
    int slot = slotOfThisThread();
    EncoderState state = beginFiltered(tag, slot);
    if (state == null) {
      return;
    }
    FilterScratch scratch = state.scratch;
    try {
      Map<String, Object> copy;
      try {
        copy = scratch.copyOf(record);
      } catch (Throwable e) {
        encodingFailed(e); // a map changed while it was read, as the encoder would have met it
        return;
      }
      filters.run(state.event.reuse(tag, seconds, nanos, copy), scratch, state.sink);
    } finally {
      scratch.release();
      giveBack(slot, state);
    }
  }

  private <T> void filterFormatted(String tag, long seconds, int nanos, T source, RecordFormatter<? super T> formatter) {
    int slot = slotOfThisThread();
    EncoderState state = beginFiltered(tag, slot);
    if (state == null) {
      return;
    }
    FilterScratch scratch = state.scratch;
    try {
      try {
        formatter.format(source, scratch.writer());
      } catch (Throwable e) {
        encodingFailed(e);
        return;
      }
      filters.run(state.event.reuse(tag, seconds, nanos, scratch.written()), scratch, state.sink);
    } finally {
      scratch.release();
      giveBack(slot, state);
    }
  }

  /**
   * An event builder's record, read back from its encoding for the filters; the builder keeps its
   * encoder, the filtered event is encoded with another.
   */
  private void filterBuilt(String tag, int slot, EventEncoder enc, long replacedBefore, boolean timed) {
    if (enc.replacedValues() != replacedBefore) {
      counters.replacedValues.add(enc.replacedValues() - replacedBefore);
    }
    long seconds;
    int nanos;
    if (timed) {
      seconds = RecordDecoder.seconds(enc.array(), 1);
      nanos = RecordDecoder.nanos(enc.array(), 1);
    } else {
      Instant now = clock.instant();
      seconds = now.getEpochSecond();
      nanos = now.getNano();
    }
    Map<String, Object> record;
    try {
      record = RecordDecoder.decodeMap(enc.array(), 1 + (timeAsInteger ? 5 : 10));
    } catch (Throwable e) {
      encodingFailed(e);
      return;
    }
    EncoderState state = beginFiltered(tag, slot);
    if (state == null) {
      return;
    }
    try {
      filters.run(state.event.reuse(tag, seconds, nanos, record), state.scratch, state.sink);
    } finally {
      state.scratch.release();
      giveBack(slot, state);
    }
  }

  /** Encodes and appends an event the filters kept, with the encoder the filtered emit holds. */
  private void encodeFiltered(Filter.Event event, EncoderState state) {
    String tag = event.tag();
    if (tag != state.checkedTag) { // a filter's tags are checked when set
      state.targets = router.route(tag);
      state.checkedTag = tag;
    }
    EventEncoder enc = state.encoder;
    long replacedBefore = enc.replacedValues();
    try {
      enc.encode(event.epochSecond(), event.nanos(), event.record());
    } catch (Throwable e) {
      encodingFailed(e);
      return;
    }
    finish(tag, state.slot, enc, replacedBefore, state.targets);
  }

  /**
   * Seals every open chunk of every output so each sends it now instead of after {@code
   * flushInterval}. Returns at once; {@link #metrics()} shows when the events are delivered.
   */
  public void flush() {
    for (OutputPipeline p : pipelines) {
      p.flush();
    }
  }

  /**
   * A snapshot of this instance's counters and each output's. Cheap; safe to call from any thread
   * at any time.
   */
  public TributaryMetrics metrics() {
    // every transition is counted where it happens; while nothing is in motion the identity holds,
    // and a chunk lost track of would break it. The instance's emitted is not counted on its own:
    // it is what was dropped before routing plus what the outputs took, less the extra copies.
    List<OutputMetrics> outputs = new ArrayList<>(pipelines.length);
    List<ServerMetrics> servers = new ArrayList<>();
    EnumMap<DropReason, Long> dropped = counters.droppedSnapshot();
    long emitted = TributaryMetrics.sum(dropped) - extraCopies.sum();
    EnumMap<FailureReason, Long> failed = counters.failedSnapshot();
    long delivered = 0;
    long buffered = 0;
    long bytes = 0;
    long inFlight = 0;
    long retries = 0;
    long failedChunks = 0;
    long resent = 0;
    long recovered = 0;
    long quarantinedChunks = 0;
    long quarantinedBytes = 0;
    long keptOnDisk = 0;
    for (int i = 0; i < pipelines.length; i++) {
      OutputPipeline p = pipelines[i];
      Counters c = p.counters();
      List<ServerMetrics> own = p.output() instanceof ForwardOutput
          ? serverMetrics((ForwardOutput) p.output()) : List.of();
      EnumMap<DropReason, Long> d = c.droppedSnapshot();
      EnumMap<FailureReason, Long> f = c.failedSnapshot();
      long appended = p.appended();
      OutputMetrics m = new OutputMetrics(p.name(), outputTypes[i], OutputPipeline.emitted(appended, d), c.delivered.sum(),
          p.bufferedEvents(appended), p.usedBytes(), c.inFlight.sum(), d, f, c.retries.sum(), c.failedChunks.sum(),
          c.resent.sum(), own, c.recovered.sum(), p.fileStore() == null ? 0 : p.fileStore().quarantinedChunks(),
          p.fileStore() == null ? 0 : p.fileStore().quarantinedBytes(), c.keptOnDisk.sum());
      outputs.add(m);
      servers.addAll(own);
      d.forEach((r, n) -> dropped.merge(r, n, Long::sum));
      f.forEach((r, n) -> failed.merge(r, n, Long::sum));
      emitted += m.emitted();
      delivered += m.delivered();
      buffered += m.bufferedEvents();
      bytes += m.bufferedBytes();
      inFlight += m.inFlightEvents();
      retries += m.retries();
      failedChunks += m.failedChunks();
      resent += m.resentEvents();
      recovered += m.recoveredEvents();
      quarantinedChunks += m.quarantinedChunks();
      quarantinedBytes += m.quarantinedBytes();
      keptOnDisk += m.keptOnDiskEvents();
    }
    return new TributaryMetrics(emitted, delivered, buffered, bytes, inFlight, dropped, failed, retries,
        failedChunks, resent, counters.replacedValues.sum(), counters.filterErrors.sum(), servers, extraCopies.sum(),
        outputs, recovered, quarantinedChunks, quarantinedBytes, keptOnDisk);
  }

  /**
   * How this instance is doing: {@link Health.State#UP}, {@code DEGRADED} or {@code DOWN} by the
   * rules in {@link Health}, with connected servers, the last error and the buffer's fill.
   * Computed now from the counters and the servers' states; safe from any thread at any time.
   */
  public Health health() {
    return healthMonitor.health();
  }

  private long usedBytes() {
    long used = 0;
    for (OutputPipeline p : pipelines) {
      used += p.usedBytes();
    }
    return used;
  }

  private static List<ServerMetrics> serverMetrics(ForwardOutput output) {
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
   * what is buffered until {@code timeout} has passed, then closes the connection, stops the
   * threads and removes the instance's MBean. Idempotent: later calls return the first call's result.
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
    try {
      return drainAndStop(timeout);
    } finally {
      unregisterMBean();
    }
  }

  private long drainAndStop(Duration timeout) {
    synchronized (closeLock) {
      if (undeliveredAtClose != null) {
        return undeliveredAtClose;
      }
      // a timeout beyond ~292 years is no timeout; the deadline arithmetic below wraps safely
      long deadline = System.nanoTime()
          + (timeout.compareTo(ConfigValues.MAX_DURATION) > 0 ? Long.MAX_VALUE : timeout.toNanos());
      closing = true;
      // every output drains on its own thread, all within the one deadline
      for (OutputPipeline p : pipelines) {
        p.beginClose();
      }
      boolean interrupted = false;
      for (OutputPipeline p : pipelines) {
        // an interrupted caller still gets its drain; the flag is restored on the way out
        interrupted |= p.awaitDrained(deadline);
      }
      for (OutputPipeline p : pipelines) {
        p.stop();
      }
      // the loops end as soon as a blocked write is broken off; bound the wait all the same
      long stopDeadline = System.nanoTime()
          + Math.max(TimeUnit.MILLISECONDS.toNanos(100), deadline - System.nanoTime());
      for (OutputPipeline p : pipelines) {
        interrupted |= p.awaitStopped(stopDeadline);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      long undelivered = 0;
      for (OutputPipeline p : pipelines) {
        undelivered += p.undeliveredAtClose();
      }
      undeliveredAtClose = undelivered;
      return undeliveredAtClose;
    }
  }

  /** This instance's name, as used in its thread names. */
  public String name() {
    return config.name;
  }

  /**
   * The largest encoded event accepted: {@code maxEventBytes}, or {@code chunkMaxBytes} when that
   * is 0 (the largest of the outputs' {@code chunkMaxBytes}, when they set their own). Text longer than this many characters can never be part of an accepted event.
   */
  public int maxEventBytes() {
    return maxEventBytes;
  }

  private Tributary start() {
    for (OutputPipeline p : pipelines) {
      p.start();
    }
    if (config.jmx) {
      registerMBean(); // last: nothing after it can fail and leave the MBean behind
    }
    return this;
  }

  private void registerMBean() {
    try {
      JmxRegistration r = JmxRegistration.register(config.name,
          new TributaryMBean(config.name, this::metrics, this::health));
      jmx = r;
      if (!r.objectName().equals(JmxRegistration.objectName(config.name))) {
        listener.onWarning("the MBean name " + JmxRegistration.objectName(config.name) + " is taken by another"
            + " instance named " + config.name + "; this one is " + r.objectName());
      }
    } catch (RuntimeException e) {
      listener.onWarning("no MBean for this instance: " + e.getMessage());
    }
  }

  private void unregisterMBean() {
    JmxRegistration r = jmx;
    if (r != null) {
      try {
        r.close();
      } catch (RuntimeException e) {
        listener.onWarning(e.getMessage());
      }
    }
  }

  /**
   * Options of a {@link Tributary}. Each setter checks its value at once and names the option in
   * its {@link IllegalArgumentException}; {@link #build()} checks the options together. Not thread
   * safe; a builder may be reused after {@code build()}.
   */
  public static final class Builder implements Cloneable {

    public static final String DEFAULT_NAME = "default";
    /** The name of the one forward output an instance has when no output is declared. */
    public static final String DEFAULT_OUTPUT = "forward";
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
    public static final boolean DEFAULT_JMX = true;
    public static final FsyncMode DEFAULT_FSYNC = FsyncMode.ON_SEAL;
    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofSeconds(1);
    /** The file buffer's disk budget: an aggregator outage of hours at a few hundred KB/s. */
    public static final long DEFAULT_FILE_BUFFER_MAX_BYTES = 1L << 30;

    private String name = DEFAULT_NAME;
    private List<ServerSpec> servers = new ArrayList<>();
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
    private boolean jmx = DEFAULT_JMX;
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
    private Map<String, Outputs.Spec<?>> outputs = new LinkedHashMap<>();
    private List<RouteSpec> routes = new ArrayList<>();

    /** A {@code match}: a compiled pattern and the outputs it names. */
    static final class RouteSpec {
      final TagPattern pattern;
      final List<String> outputs;

      RouteSpec(TagPattern pattern, List<String> outputs) {
        this.pattern = pattern;
        this.outputs = outputs;
      }
    }
    private List<Filter> filters = new ArrayList<>();

    private Builder() {}

    /**
     * Declares an output by name (letters, digits, '.', '_' or '-'): {@link Outputs#forward()},
     * {@link Outputs#stdout()}, {@link Outputs#file(Path)} or {@link Outputs#nullOutput()}. Each
     * output has its own buffer, worker thread, retries and {@code metrics().output(name)}; its
     * buffer settings default to this builder's. Once an output is declared, events go where
     * {@link #match} routes send them, and every output must be named by a route. Without any,
     * the instance has one forward output, {@value #DEFAULT_OUTPUT}, to this builder's servers,
     * routed {@code **}.
     *
     * @throws IllegalArgumentException for a bad or repeated name, or a null spec
     */
    public Builder output(String name, Outputs.Spec<?> spec) {
      if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("output name must be letters, digits, '.', '_' or '-', was " + quote(name));
      }
      if (spec == null) {
        throw new IllegalArgumentException("output \"" + name + "\": spec must not be null");
      }
      if (outputs.containsKey(name)) {
        throw new IllegalArgumentException("output \"" + name + "\" is declared twice");
      }
      outputs.put(name, spec.copy());
      return this;
    }

    /**
     * Routes the tags that fit {@code pattern} to {@code outputs}, each getting a copy, as
     * Fluentd's {@code <match pattern>}: routes are tried in the order they were added and the first
     * that fits wins. {@code *} is one part (or part of one: {@code app.web*}), {@code **} zero or
     * more parts, {@code {a,b}} either; patterns separated by spaces are alternatives. An event no
     * route takes is dropped as {@link DropReason#UNMATCHED}. With no output declared, a route may
     * name the default output, {@value #DEFAULT_OUTPUT}; with no route at all, it takes every tag.
     *
     * <pre>{@code
     * builder.match("app.audit.**", "aggregators", "archive")
     *        .match("app.{web,api}.*", "aggregators")
     *        .match("**", "console");
     * }</pre>
     *
     * @throws IllegalArgumentException for an empty pattern or no output names
     */
    public Builder match(String pattern, String... outputs) {
      TagPattern compiled = TagPattern.compile(pattern);
      if (outputs == null || outputs.length == 0) {
        throw new IllegalArgumentException("match \"" + pattern + "\" names no output");
      }
      List<String> names = new ArrayList<>(outputs.length);
      for (String o : outputs) {
        if (o == null || names.contains(o)) {
          throw new IllegalArgumentException("match \"" + pattern + "\": output " + quote(o)
              + (o == null ? " is null" : " named twice"));
        }
        names.add(o);
      }
      routes.add(new RouteSpec(compiled, List.copyOf(names)));
      return this;
    }

    /**
     * Adds filters, run in the order given (over several calls too) on the emitting thread for
     * every event, before it is encoded: see {@link Filter}, and {@link Filters} for the built-in
     * ones ({@code record_transformer}, {@code grep}, {@code redact}, {@code sample}, {@code
     * throttle}, {@code kubernetes}, {@code rewrite_tag}). None by default: an event then pays
     * nothing for filtering.
     *
     * <pre>{@code
     * builder.filter(Filters.redact().keys("password", "token").build(),
     *                Filters.grep().exclude("level", "DEBUG").build());
     * }</pre>
     */
    public Builder filter(Filter... filters) {
      notNull("filter", filters);
      for (Filter f : filters) {
        this.filters.add(notNull("filter", f));
      }
      return this;
    }

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

    Builder servers(String option, String hostPortList) {
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
     *
     * <p>Each output has a file buffer of its own. With no output declared, the one output's chunk
     * files are in {@code bufferPath} itself. With declared outputs ({@link #output}), each
     * output's are in {@code bufferPath/<output>/}: its own lock, its own recovery at {@code
     * build()} (what it left is sent again by that output only) and its own disk budget of {@link
     * #fileBufferMaxBytes}; an output named {@code quarantine} is refused, that name being taken by
     * the directory of unreadable files. Every output type takes the file buffer, forward, stdout,
     * file and null alike.
     *
     * <pre>{@code
     * Tributary.builder().bufferPath(Path.of("/var/lib/app/tributary"))
     *     .output("agg", Outputs.forward().server("agg", 24224))   // files in .../tributary/agg/
     *     .output("audit", Outputs.file(Path.of("audit.jsonl")))   // files in .../tributary/audit/
     *     .match("**", "agg", "audit")
     *     .build();
     * }</pre>
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
     * never take more. The {@code overflowPolicy} applies to it as to memory. Default 1 GiB. With
     * declared outputs, each output's directory has this budget of its own (as each output has its
     * own {@code bufferMaxBytes}), so the instance takes at most this times the number of outputs.
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

    /**
     * Register an MBean {@code dev.tributary:type=Tributary,name=<name>} on the platform MBean
     * server at {@code build()}, removed at {@code close()}: every counter of {@code metrics()},
     * the servers and {@code health()} as attributes. A name already taken gets the first free of
     * {@code <name>-2}, {@code <name>-3}, ... (the listener is told). Default true.
     */
    public Builder jmx(boolean jmx) {
      this.jmx = jmx;
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

    /**
     * Applies a configuration file in Fluentd's syntax (see {@link Tributary#fromConfig}): a path,
     * or {@code classpath:name} for a resource. Options set after this call override the file's.
     *
     * @throws ConfigFileException naming the file, line and word of anything it cannot use
     */
    public Builder config(String location) {
      dev.tributary.internal.config.ConfigFileReader.apply(location, this, System::getenv);
      return this;
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
      try {
        BuilderOptions.TABLE.apply(this, name, value);
        return this;
      } catch (ConfigFileException e) {
        throw e; // names the file, line and word already
      } catch (IllegalArgumentException e) {
        // a setter names the option and the parsed value; make sure the text as given shows too
        String m = e.getMessage();
        if (m != null && !m.startsWith("unknown option") && !m.contains(quote(value))) {
          throw new IllegalArgumentException(m + " (given as " + quote(value) + ")", e);
        }
        throw e;
      }
    }

    /**
     * The names {@link #option(String, String)} knows: every option but the three that take an
     * object ({@link #listener}, {@link #socketFactory}, {@link #clock}), which are set in code only.
     */
    public static final java.util.List<String> OPTIONS = BuilderOptions.TABLE.textNames();

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
      checkOutputs();
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
      Map<String, FileChunkStore> fileStores = openFileStores();
      try {
        return new Tributary(copy, fileStores).start();
      } catch (RuntimeException | Error e) {
        for (FileChunkStore f : fileStores.values()) {
          f.close();
        }
        throw e;
      }
    }

    /**
     * The directory of each output's file buffer, by output name; empty without {@code bufferPath}.
     * With no output declared, the one output's directory is {@code bufferPath} itself; with
     * declared outputs, each has {@code bufferPath/<output>/}.
     */
    Map<String, Path> fileBufferDirectories() {
      Map<String, Path> dirs = new LinkedHashMap<>();
      if (bufferPath == null) {
        return dirs;
      }
      if (outputs.isEmpty()) {
        dirs.put(DEFAULT_OUTPUT, bufferPath);
      } else {
        for (String o : outputs.keySet()) {
          dirs.put(o, bufferPath.resolve(o));
        }
      }
      return dirs;
    }

    /**
     * Checks each output's disk budget against its chunk size, then opens and locks each output's
     * directory; if one cannot be had, those already locked are released again.
     */
    private Map<String, FileChunkStore> openFileStores() {
      Map<String, Path> dirs = fileBufferDirectories();
      for (String o : dirs.keySet()) {
        if (!outputs.isEmpty() && o.equals(FileChunkStore.QUARANTINE)) {
          throw new IllegalArgumentException("output \"" + o + "\" cannot have a file buffer: bufferPath/" + o
              + "/ is where unreadable chunk files of an instance without declared outputs are kept; name it otherwise");
        }
        long chunkFile = FileChunkStore.fileSize(outputChunkMaxBytes(o));
        if (fileBufferMaxBytes < 2 * chunkFile) {
          throw new IllegalArgumentException("fileBufferMaxBytes (" + fileBufferMaxBytes + ") must hold at least two"
              + " chunk files of " + chunkFile + " bytes (chunkMaxBytes " + outputChunkMaxBytes(o) + " plus the header)"
              + (outputs.isEmpty() ? "" : " for output \"" + o + "\""));
        }
      }
      Map<String, FileChunkStore> stores = new LinkedHashMap<>();
      try {
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
          // locks the directory: released again if the rest of the start fails
          stores.put(e.getKey(), FileChunkStore.open(e.getValue(), fileBufferMaxBytes,
              outputChunkMaxBytes(e.getKey()), fsync, fsyncInterval.toNanos(), reportInterval.toNanos(), fileSpace));
        }
      } catch (RuntimeException | Error e) {
        for (FileChunkStore f : stores.values()) {
          f.close();
        }
        throw e;
      }
      return stores;
    }

    /** The chunk size of an output: its own, else the builder's. */
    private int outputChunkMaxBytes(String output) {
      Outputs.Spec<?> spec = outputs.get(output);
      return spec != null && spec.chunkMaxBytes != null ? spec.chunkMaxBytes : chunkMaxBytes;
    }

    /**
     * A snapshot for the instance, so the caller may go on changing this builder: every field is
     * an immutable value but the collections and the TLS options, which are copied.
     */
    private Builder copy() {
      try {
        Builder b = (Builder) super.clone();
        b.servers = new ArrayList<>(servers);
        b.secure = secure.copy();
        b.outputs = new LinkedHashMap<>(outputs); // the specs are copies made by output(...)
        b.routes = new ArrayList<>(routes);
        b.filters = new ArrayList<>(filters);
        return b;
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }

    /** The outputs and routes together: every name known, every output used, every forward output with servers. */
    private void checkOutputs() {
      if (outputs.isEmpty()) {
        checkServers("server is required: call server(host, port) at least once", servers);
        for (RouteSpec r : routes) {
          for (String o : r.outputs) {
            if (!o.equals(DEFAULT_OUTPUT)) {
              throw new IllegalArgumentException("match \"" + r.pattern + "\" names output \"" + o
                  + "\", which is not declared; without output(...) the one output is \"" + DEFAULT_OUTPUT + "\"");
            }
          }
        }
        return;
      }
      if (routes.isEmpty()) {
        throw new IllegalArgumentException("outputs " + outputs.keySet()
            + " are declared but no route: add match(pattern, outputs...), e.g. match(\"**\", \""
            + outputs.keySet().iterator().next() + "\")");
      }
      java.util.Set<String> used = new java.util.HashSet<>();
      for (RouteSpec r : routes) {
        for (String o : r.outputs) {
          if (!outputs.containsKey(o)) {
            throw new IllegalArgumentException("match \"" + r.pattern + "\" names output \"" + o
                + "\", which is not declared; outputs: " + outputs.keySet());
          }
          used.add(o);
        }
      }
      boolean serversUsed = false;
      for (Map.Entry<String, Outputs.Spec<?>> e : outputs.entrySet()) {
        if (!used.contains(e.getKey())) {
          throw new IllegalArgumentException("output \"" + e.getKey() + "\" is not named by any match(...)");
        }
        if (e.getValue() instanceof Outputs.Forward) {
          List<ServerSpec> own = ((Outputs.Forward) e.getValue()).servers;
          serversUsed |= own.isEmpty();
          checkServers("output \"" + e.getKey() + "\": a forward output needs servers: "
              + "Outputs.forward().server(host, port), or server(host, port) on the builder", own.isEmpty() ? servers : own);
        }
      }
      if (!servers.isEmpty() && !serversUsed) {
        throw new IllegalArgumentException("server(...) is set on the builder but no forward output uses it: "
            + "a forward output without servers of its own takes the builder's");
      }
    }

    private static void checkServers(String missing, List<ServerSpec> list) {
      if (list.isEmpty()) {
        throw new IllegalArgumentException(missing);
      }
      if (list.stream().allMatch(s -> s.weight() == 0)) {
        throw new IllegalArgumentException("servers: every server has weight 0, so none would take events: " + list);
      }
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
