package dev.tributary;

import dev.tributary.internal.forward.ServerAddress;
import dev.tributary.internal.forward.ServerSpec;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs of {@link Tributary.Builder#output(String, Outputs.Spec)}, named after Fluentd's
 * {@code @type}s: {@link #forward()}, {@link #stdout()}, {@link #file(Path)} and {@link
 * #nullOutput()}. Each output has its own buffer (byte budget, chunks), its own worker thread and
 * its own retries, so one that is down fills only its own budget and never holds back another.
 * Its buffer settings default to the instance builder's ({@code bufferMaxBytes}, {@code
 * chunkMaxBytes}, {@code flushInterval}, ...); set them here for this output alone.
 *
 * <p>Specs are builders: not thread safe, and copied when passed to {@code output(...)}, so a spec
 * may be reused. They own nothing; what they describe is started by {@code build()} and closed by
 * {@link Tributary#close()}.
 *
 * <pre>{@code
 * Tributary.builder()
 *     .output("aggregators", Outputs.forward().server("agg1", 24224).server("agg2", 24224)
 *         .bufferMaxBytes(128L << 20))
 *     .output("console", Outputs.stdout())
 *     .output("archive", Outputs.file(Path.of("/var/log/app/events.log")).rotateInterval(Duration.ofHours(1)))
 *     .match("app.audit.**", "aggregators", "archive")  // first match wins
 *     .match("app.**", "aggregators", "console")
 *     .build();
 * }</pre>
 */
public final class Outputs {

  private Outputs() {}

  /** Forward protocol to aggregators: today's client, with its own servers. */
  public static Forward forward() {
    return new Forward();
  }

  /** JSON lines to {@code System.out} (as it is when {@code build()} runs), for a container runtime to collect. */
  public static Stdout stdout() {
    return new Stdout(null);
  }

  /** JSON lines to {@code out}, which Tributary flushes after each chunk and never closes. */
  public static Stdout stdout(OutputStream out) {
    if (out == null) {
      throw new IllegalArgumentException("stdout stream must not be null");
    }
    return new Stdout(out);
  }

  /** JSON lines appended to {@code path}, rotated by size and time. */
  public static File file(Path path) {
    if (path == null) {
      throw new IllegalArgumentException("file path must not be null");
    }
    return new File(path);
  }

  /** Fluentd's {@code null}: every event counts as delivered and goes nowhere. */
  public static Null nullOutput() {
    return new Null();
  }

  /**
   * What every output has: buffer settings that, when not set, are the instance builder's.
   *
   * @param <S> the spec's own type, for chained setters
   */
  public abstract static class Spec<S extends Spec<S>> {
    Long bufferMaxBytes;
    Integer chunkMaxBytes;
    Integer chunkMaxRecords;
    Duration flushInterval;
    OverflowPolicy overflowPolicy;
    Integer retryMaxAttempts;
    Duration retryTimeout;

    Spec() {}

    /** Fluentd's {@code @type}: {@code forward}, {@code stdout}, {@code file} or {@code null}. */
    public abstract String type();

    @SuppressWarnings("unchecked")
    private S self() {
      return (S) this;
    }

    /** This output's byte budget (its chunks: open, sealed, in flight). Default: the builder's {@code bufferMaxBytes}. */
    public S bufferMaxBytes(long bufferMaxBytes) {
      if (bufferMaxBytes < 64 * 1024) {
        throw new IllegalArgumentException("bufferMaxBytes must be >= 65536, was " + bufferMaxBytes);
      }
      this.bufferMaxBytes = bufferMaxBytes;
      return self();
    }

    /** A chunk of this output seals before its entries would pass this. Default: the builder's. */
    public S chunkMaxBytes(int chunkMaxBytes) {
      if (chunkMaxBytes < 1024) {
        throw new IllegalArgumentException("chunkMaxBytes must be >= 1024, was " + chunkMaxBytes);
      }
      this.chunkMaxBytes = chunkMaxBytes;
      return self();
    }

    /** A chunk of this output seals at this many events; 0 for no limit. Default: the builder's. */
    public S chunkMaxRecords(int chunkMaxRecords) {
      if (chunkMaxRecords < 0) {
        throw new IllegalArgumentException("chunkMaxRecords must be >= 0, was " + chunkMaxRecords);
      }
      this.chunkMaxRecords = chunkMaxRecords;
      return self();
    }

    /** How long an open chunk of this output may linger. Default: the builder's. */
    public S flushInterval(Duration flushInterval) {
      if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
        throw new IllegalArgumentException("flushInterval must be > 0, was " + flushInterval);
      }
      this.flushInterval = flushInterval;
      return self();
    }

    /** What this output does with a copy when its budget is full. Default: the builder's. */
    public S overflowPolicy(OverflowPolicy overflowPolicy) {
      if (overflowPolicy == null) {
        throw new IllegalArgumentException("overflowPolicy must not be null");
      }
      this.overflowPolicy = overflowPolicy;
      return self();
    }

    /** A chunk of this output is given up after this many failed attempts; 0 for no limit. Default: the builder's. */
    public S retryMaxAttempts(int retryMaxAttempts) {
      if (retryMaxAttempts < 0) {
        throw new IllegalArgumentException("retryMaxAttempts must be >= 0, was " + retryMaxAttempts);
      }
      this.retryMaxAttempts = retryMaxAttempts;
      return self();
    }

    /** A chunk of this output is given up this long after its first failure. Default: the builder's. */
    public S retryTimeout(Duration retryTimeout) {
      if (retryTimeout == null || retryTimeout.isNegative() || retryTimeout.isZero()) {
        throw new IllegalArgumentException("retryTimeout must be > 0, was " + retryTimeout);
      }
      this.retryTimeout = retryTimeout;
      return self();
    }

    abstract S copy();

    /** Copies the common settings into {@code to}. */
    S copyInto(S to) {
      Spec<S> t = to;
      t.bufferMaxBytes = bufferMaxBytes;
      t.chunkMaxBytes = chunkMaxBytes;
      t.chunkMaxRecords = chunkMaxRecords;
      t.flushInterval = flushInterval;
      t.overflowPolicy = overflowPolicy;
      t.retryMaxAttempts = retryMaxAttempts;
      t.retryTimeout = retryTimeout;
      return to;
    }
  }

  /**
   * The forward protocol to a set of aggregators. Servers, when none are given here, are the
   * builder's ({@code server(...)}); {@code requireAck} is the builder's unless set. The rest of the
   * connection settings (timeouts, TLS, shared key, heartbeats, compression) are the builder's.
   */
  public static final class Forward extends Spec<Forward> {
    final List<ServerSpec> servers = new ArrayList<>();
    Boolean requireAck;

    Forward() {}

    @Override
    public String type() {
      return "forward";
    }

    /** Adds an aggregator of weight 60, as {@link Tributary.Builder#server(String, int)}. */
    public Forward server(String host, int port) {
      return server(host, port, ServerSpec.DEFAULT_WEIGHT, false);
    }

    /** Adds an aggregator with its weight and standby flag, as {@link Tributary.Builder#server(String, int, int, boolean)}. */
    public Forward server(String host, int port, int weight, boolean standby) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("server host must not be empty, was " + (host == null ? "null" : "\"" + host + "\""));
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

    /** Adds servers from text, as {@link Tributary.Builder#servers(String)}. */
    public Forward servers(String hostPortList) {
      servers.addAll(ServerListText.parse("servers", hostPortList));
      return this;
    }

    /** Acks for this output's chunks. Default: the builder's {@code requireAck}. */
    public Forward requireAck(boolean requireAck) {
      this.requireAck = requireAck;
      return this;
    }

    @Override
    Forward copy() {
      Forward f = copyInto(new Forward());
      f.servers.addAll(servers);
      f.requireAck = requireAck;
      return f;
    }
  }

  /**
   * JSON lines to standard output, one event a line: {@code
   * {"time":"2026-12-01T07:00:00.123456789Z","tag":"app.orders","record":{"id":42}}}. See README,
   * "Routes and outputs", for the format.
   */
  public static final class Stdout extends Spec<Stdout> {
    final OutputStream stream;

    Stdout(OutputStream stream) {
      this.stream = stream;
    }

    @Override
    public String type() {
      return "stdout";
    }

    @Override
    Stdout copy() {
      return copyInto(new Stdout(stream));
    }
  }

  /**
   * JSON lines (as {@link Stdout}) appended to a file that is renamed aside to {@code
   * <path>.<yyyyMMdd'T'HHmmss'Z'>} (the time it was started; {@code .1}, {@code .2} if taken) when
   * it would pass {@link #maxFileBytes} or a new period of {@link #rotateInterval} begins, counted
   * from the epoch in UTC by the builder's {@code clock}.
   */
  public static final class File extends Spec<File> {
    /** 64 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** One day: a file per UTC day, as out_file's default daily time slice. */
    public static final Duration DEFAULT_ROTATE_INTERVAL = Duration.ofDays(1);

    final Path path;
    long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
    Duration rotateInterval = DEFAULT_ROTATE_INTERVAL;

    File(Path path) {
      this.path = path;
    }

    @Override
    public String type() {
      return "file";
    }

    /** Rotate before the file would pass this many bytes; 0 for no size limit. Default 64 MiB. */
    public File maxFileBytes(long maxFileBytes) {
      if (maxFileBytes < 0) {
        throw new IllegalArgumentException("maxFileBytes must be >= 0, was " + maxFileBytes);
      }
      this.maxFileBytes = maxFileBytes;
      return this;
    }

    /** Rotate when a new period of this length begins; {@link Duration#ZERO} for never. At least 1 s. Default 1 day. */
    public File rotateInterval(Duration rotateInterval) {
      if (rotateInterval == null || rotateInterval.isNegative()
          || (!rotateInterval.isZero() && rotateInterval.compareTo(Duration.ofSeconds(1)) < 0)) {
        throw new IllegalArgumentException("rotateInterval must be 0 or >= 1s, was " + rotateInterval);
      }
      this.rotateInterval = rotateInterval;
      return this;
    }

    @Override
    File copy() {
      File f = copyInto(new File(path));
      f.maxFileBytes = maxFileBytes;
      f.rotateInterval = rotateInterval;
      return f;
    }
  }

  /** Fluentd's {@code null} output. */
  public static final class Null extends Spec<Null> {
    Null() {}

    @Override
    public String type() {
      return "null";
    }

    @Override
    Null copy() {
      return copyInto(new Null());
    }
  }
}
