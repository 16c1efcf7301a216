package dev.tributary.testkit;

import java.time.Duration;
import java.util.Objects;
import javax.net.ServerSocketFactory;

/**
 * The settings a {@link ForwardServer} started with ({@link ForwardServer#config()}). Set through
 * {@link ForwardServer#builder()}, whose {@link Builder#build()} starts the server; every value is
 * checked where it is set.
 *
 * <p>Immutable and thread safe; one config can start any number of servers. Owns nothing.
 *
 * <pre>{@code
 * try (ForwardServer server = ForwardServer.builder().countOnly(true).build()) {
 *   ForwardServerConfig config = server.config();
 *   try (ForwardServer twin = config.start()) {
 *     // a second server with the same settings, on its own free port
 *   }
 * }
 * }</pre>
 */
public final class ForwardServerConfig {
  /** Port 0: the OS picks a free port, so parallel test runs never collide. */
  public static final int DEFAULT_PORT = 0;

  /** 0: the OS default receive buffer, which allows autotuning and the fastest reads. */
  public static final int DEFAULT_RECEIVE_BUFFER_SIZE = 0;

  /** No ack delay: acks go out as soon as a request's events are stored. */
  public static final Duration DEFAULT_ACK_DELAY = Duration.ZERO;

  /** A size limit that never applies; pass it to turn a limit off again. */
  public static final long NO_SIZE_LIMIT = Long.MAX_VALUE;

  /** {@link #NO_SIZE_LIMIT}: like Fluentd, whose {@code chunk_size_limit} has no default. */
  public static final long DEFAULT_DROP_REQUESTS_OVER = NO_SIZE_LIMIT;

  /**
   * {@link #NO_SIZE_LIMIT}, unlike Fluent Bit, whose {@code buffer_max_size} is 6,144,000 bytes:
   * a test server accepts anything unless a test asks for the limit.
   */
  public static final long DEFAULT_RESET_ON_REQUEST_OVER = NO_SIZE_LIMIT;

  private final int port;
  private final boolean countOnly;
  private final int receiveBufferSize;
  private final Duration ackDelay;
  private final ServerSocketFactory socketFactory;
  private final ConnectionSetup connectionSetup;
  private final long dropRequestsOver;
  private final long resetOnRequestOver;
  private final boolean denyKeepalive;

  private ForwardServerConfig(Builder b) {
    this.port = b.port;
    this.countOnly = b.countOnly;
    this.receiveBufferSize = b.receiveBufferSize;
    this.ackDelay = b.ackDelay;
    this.socketFactory = b.socketFactory;
    this.connectionSetup = b.connectionSetup;
    this.dropRequestsOver = b.dropRequestsOver;
    this.resetOnRequestOver = b.resetOnRequestOver;
    this.denyKeepalive = b.denyKeepalive;
  }

  /** Binds and starts a server with these settings. */
  public ForwardServer start() {
    return ForwardServer.open(this);
  }

  /** The port to bind on 127.0.0.1; 0 means any free port. */
  public int port() {
    return port;
  }

  /** Whether the server only counts events instead of keeping them. */
  public boolean countOnly() {
    return countOnly;
  }

  /** {@code SO_RCVBUF} for accepted connections in bytes, or 0 for the OS default. */
  public int receiveBufferSize() {
    return receiveBufferSize;
  }

  /** The ack delay the server starts with. */
  public Duration ackDelay() {
    return ackDelay;
  }

  /** The {@code dropRequestsOver} size limit the server starts with, in bytes. */
  public long dropRequestsOver() {
    return dropRequestsOver;
  }

  /** The {@code resetOnRequestOver} size limit the server starts with, in bytes. */
  public long resetOnRequestOver() {
    return resetOnRequestOver;
  }

  /** Whether the server starts resetting each connection after its first request. */
  public boolean denyKeepalive() {
    return denyKeepalive;
  }

  ServerSocketFactory socketFactory() {
    return socketFactory;
  }

  ConnectionSetup connectionSetup() {
    return connectionSetup;
  }

  static long checkSizeLimit(String name, long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + bytes);
    }
    return bytes;
  }

  /**
   * Sets up and starts a {@link ForwardServer}: {@link #build()} binds and returns the running
   * server, as {@code Tributary.builder().build()} returns a running instance. Not thread safe;
   * confine a builder to one thread.
   *
   * <pre>{@code
   * try (ForwardServer server = ForwardServer.builder().receiveBufferSize(4096).build()) {
   *   // ...
   * }
   * }</pre>
   */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private boolean countOnly;
    private int receiveBufferSize = DEFAULT_RECEIVE_BUFFER_SIZE;
    private Duration ackDelay = DEFAULT_ACK_DELAY;
    private ServerSocketFactory socketFactory = ServerSocketFactory.getDefault();
    private ConnectionSetup connectionSetup = ConnectionSetup.NONE;
    private long dropRequestsOver = DEFAULT_DROP_REQUESTS_OVER;
    private long resetOnRequestOver = DEFAULT_RESET_ON_REQUEST_OVER;
    private boolean denyKeepalive;

    Builder() {}

    /** The port to bind on 127.0.0.1, 0..65535; default {@link #DEFAULT_PORT} (any free port). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be within 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Whether to count events without keeping them (default false). For load tests and
     * benchmarks: events are skipped rather than decoded, so {@code events()} stays empty and
     * {@code awaitEvents} throws; {@code eventCount()}, {@code awaitEventCount}, {@code
     * requestCount()} and the acks work as usual, and {@code requests()} / {@code awaitRequests}
     * still show each request's metadata (mode, tag, event count, options, chunk id, size) for the
     * first {@value ForwardServer#COUNT_ONLY_REQUESTS_KEPT} requests.
     */
    public Builder countOnly(boolean countOnly) {
      this.countOnly = countOnly;
      return this;
    }

    /**
     * {@code SO_RCVBUF} for accepted connections, in bytes; 0 (the default) keeps the OS default.
     * A small buffer lets a test with {@code stallReading(true)} fill it, and block the client,
     * quickly. The OS may round the value.
     */
    public Builder receiveBufferSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("receiveBufferSize must be >= 0, was " + bytes);
      }
      this.receiveBufferSize = bytes;
      return this;
    }

    /** The ack delay to start with; see {@link ForwardServer#ackDelay(Duration)}. */
    public Builder ackDelay(Duration delay) {
      this.ackDelay = ForwardServer.checkAckDelay(delay);
      return this;
    }

    /**
     * The size limit to start with, like Fluentd's {@code chunk_size_limit}; default {@link
     * #DEFAULT_DROP_REQUESTS_OVER} (none). See {@link ForwardServer#dropRequestsOver(long)}.
     */
    public Builder dropRequestsOver(long bytes) {
      this.dropRequestsOver = checkSizeLimit("dropRequestsOver", bytes);
      return this;
    }

    /**
     * The size limit to start with, like Fluent Bit's {@code buffer_max_size}; default {@link
     * #DEFAULT_RESET_ON_REQUEST_OVER} (none). See {@link ForwardServer#resetOnRequestOver(long)}.
     */
    public Builder resetOnRequestOver(long bytes) {
      this.resetOnRequestOver = checkSizeLimit("resetOnRequestOver", bytes);
      return this;
    }

    /**
     * Whether to start like Fluentd with {@code deny_keepalive true} (default false). See {@link
     * ForwardServer#denyKeepalive(boolean)}.
     */
    public Builder denyKeepalive(boolean deny) {
      this.denyKeepalive = deny;
      return this;
    }

    /** Where listening sockets come from; the seam for a future TLS option. */
    Builder socketFactory(ServerSocketFactory factory) {
      this.socketFactory = Objects.requireNonNull(factory, "socketFactory");
      return this;
    }

    /** What each connection runs before reading requests; the seam for a future handshake. */
    Builder connectionSetup(ConnectionSetup setup) {
      this.connectionSetup = Objects.requireNonNull(setup, "connectionSetup");
      return this;
    }

    /**
     * Binds 127.0.0.1 and starts a server with these settings; close it when done.
     *
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public ForwardServer build() {
      return new ForwardServerConfig(this).start();
    }

    /** The same as {@link #build()}: binds and starts the server. */
    public ForwardServer start() {
      return build();
    }
  }
}
