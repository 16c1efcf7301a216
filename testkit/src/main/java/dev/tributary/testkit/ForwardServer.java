package dev.tributary.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Fluentd forward-protocol server on 127.0.0.1 for tests: it records what clients send,
 * acks like Fluentd, and misbehaves on cue.
 *
 * <p>It decodes all four modes (Message, Forward, PackedForward, CompressedPackedForward), keeps
 * every event in arrival order, and answers {@code {"ack": chunk}} after storing a request that
 * carries a {@code chunk} option. Tests can queue {@link Fault faults}, cut connections after a
 * number of bytes, stall reading, refuse connections and delay acks, all while it runs; and give it
 * the limits of a real aggregator: {@link #dropRequestsOver}, {@link #resetOnRequestOver}, {@link
 * #denyKeepalive}. For faults of the network in between, put a {@link FaultProxy} in front.
 *
 * <p>It can also listen with TLS ({@link ForwardServerConfig.Builder#tls}, with certificates from
 * {@link TestCertificates}, optionally mutual) and run the shared-key handshake of Fluentd's or
 * Fluent Bit's {@code <security>} ({@link ForwardServerConfig.Builder#sharedKey}), recording
 * {@link #tlsSessions()}, {@link #tlsFailures()} and {@link #handshakes()}.
 *
 * <p><b>Threads.</b> One daemon thread accepts ({@code forward-server-<port>-accept}); each
 * connection has its own daemon thread ({@code forward-server-<port>-conn-<n>}); delayed acks use
 * one more ({@code forward-server-<port>-acks}), started on first use. All methods are thread
 * safe and may be called from any thread.
 *
 * <p><b>Ownership.</b> The server owns its listening socket, every accepted connection and those
 * threads. {@link #close()} closes all sockets and waits (bounded) for all threads, so a test can
 * check that nothing leaked. Events stay readable after close.
 *
 * <pre>{@code
 * try (ForwardServer server = ForwardServer.start()) {
 *   sendSomeEvents("127.0.0.1", server.port());
 *   List<ReceivedEvent> events = server.awaitEvents(3, Duration.ofSeconds(5));
 *   assertEquals("app.access", events.get(0).tag());
 * }
 * }</pre>
 */
public final class ForwardServer implements AutoCloseable {
  /** How long {@link #close()} waits, in total, for the threads it started. */
  static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

  private static final String HOST = "127.0.0.1";

  private final ForwardServerConfig config;
  private final Journal journal;
  private final Script script = new Script();
  private final Set<ConnectionHandler> handlers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger lastConnectionId = new AtomicInteger();
  private final int port;
  private final AckScheduler ackScheduler;
  private final Object lifecycle = new Object();
  private Listener listener; // guarded by lifecycle; null while refusing or closed
  private boolean closed; // guarded by lifecycle

  private ForwardServer(ForwardServerConfig config) throws IOException {
    this.config = config;
    this.journal = new Journal(config.countOnly() ? COUNT_ONLY_REQUESTS_KEPT : Integer.MAX_VALUE);
    script.ackDelay(config.ackDelay());
    script.dropRequestsOver(config.dropRequestsOver());
    script.resetOnRequestOver(config.resetOnRequestOver());
    script.denyKeepalive(config.denyKeepalive());
    this.listener = Listener.open(
        config.socketFactory(), config.port(), config.receiveBufferSize(), this::accepted);
    this.port = listener.port();
    this.ackScheduler = new AckScheduler("forward-server-" + port + "-acks");
  }

  /**
   * In count-only mode, {@link #requests()} keeps the metadata of this many requests (the first
   * ones), so a long load test does not fill the heap; {@link #requestCount()} counts them all.
   */
  public static final int COUNT_ONLY_REQUESTS_KEPT = 10_000;

  /** Starts a server with default settings on a free port of 127.0.0.1. */
  public static ForwardServer start() {
    return builder().build();
  }

  /**
   * Returns a builder for a server with non-default settings; its {@code build()} starts the
   * server: {@code ForwardServer.builder().countOnly(true).build()}.
   */
  public static ForwardServerConfig.Builder builder() {
    return new ForwardServerConfig.Builder();
  }

  static ForwardServer open(ForwardServerConfig config) {
    try {
      ForwardServer server = new ForwardServer(config);
      // Accepting starts only now, so the accept thread never sees a half-built server.
      server.listener.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + HOST + ":" + config.port(), e);
    }
  }

  /** The port the server listens on; it stays the same across {@link #refuseConnections}. */
  public int port() {
    return port;
  }

  /** The address the server listens on: always {@code "127.0.0.1"}. */
  public String host() {
    return HOST;
  }

  /** {@link #host()} and {@link #port()} as a socket address. */
  public InetSocketAddress address() {
    return new InetSocketAddress(Listener.LOOPBACK, port);
  }

  /** The settings this server started with. */
  public ForwardServerConfig config() {
    return config;
  }

  // ---- what arrived

  /** A copy of the events stored so far, in arrival order; empty in count-only mode. */
  public List<ReceivedEvent> events() {
    return journal.events();
  }

  /**
   * Returns the events stored so far, in arrival order, and removes them from the server, so the
   * next call returns only what arrived since. For long runs that check events as they come and
   * must not keep them all: the heap holds only what arrived between two calls. {@link
   * #eventCount()} still counts every event; {@link #events()} and {@link #awaitEvents} see only
   * the events stored since the last call. Empty in count-only mode.
   *
   * <pre>{@code
   * for (ReceivedEvent e : server.takeEvents()) {
   *   seen.set(((Long) e.get("seq")).intValue());
   * }
   * }</pre>
   */
  public List<ReceivedEvent> takeEvents() {
    return journal.takeEvents();
  }

  /**
   * Waits until at least {@code n} events are stored and returns a copy of all of them.
   *
   * @throws AssertionError on timeout (or close), saying how many events arrived
   * @throws IllegalStateException in count-only mode; use {@link #awaitEventCount}
   */
  public List<ReceivedEvent> awaitEvents(int n, Duration timeout) {
    return journal.awaitEvents(n, timeout);
  }

  /** How many events were stored (or, in count-only mode, counted). */
  public long eventCount() {
    return journal.eventCount();
  }

  /**
   * Waits until at least {@code n} events are stored or counted.
   *
   * @throws AssertionError on timeout (or close), saying how many events arrived
   */
  public void awaitEventCount(long n, Duration timeout) {
    journal.awaitEventCount(n, timeout);
  }

  /**
   * A copy of the requests decoded so far, in arrival order, with their metadata; in count-only
   * mode only the first {@link #COUNT_ONLY_REQUESTS_KEPT}.
   */
  public List<ReceivedRequest> requests() {
    return journal.requests();
  }

  /**
   * Waits until at least {@code n} requests were decoded and returns a copy of all of them.
   *
   * @throws AssertionError on timeout (or close), saying how many requests arrived
   * @throws IllegalArgumentException in count-only mode, for {@code n} above {@link
   *     #COUNT_ONLY_REQUESTS_KEPT}; use {@link #requestCount()}
   */
  public List<ReceivedRequest> awaitRequests(int n, Duration timeout) {
    return journal.awaitRequests(n, timeout);
  }

  /** How many requests were decoded, including in count-only mode. */
  public long requestCount() {
    return journal.requestCount();
  }

  /** How many connections were accepted since start. */
  public int connectionCount() {
    return journal.accepted();
  }

  /** How many connections are open now. */
  public int openConnections() {
    return journal.open();
  }

  /**
   * Waits until exactly {@code n} connections are open, e.g. until a client closed its socket.
   *
   * @throws AssertionError on timeout, saying how many are open
   */
  public void awaitOpenConnections(int n, Duration timeout) {
    journal.awaitOpen(n, timeout);
  }

  /**
   * How many acks the server has written to clients (counted as each write starts, so an ack a
   * client has read is always included).
   */
  public long acksSent() {
    return journal.acksSent();
  }

  /**
   * How many requests were read and dropped without an ack because they were larger than {@link
   * #dropRequestsOver(long)}; counted in count-only mode too. They are also in {@link #requests()},
   * marked {@link ReceivedRequest#dropped()}.
   */
  public long droppedRequestCount() {
    return journal.droppedOversize();
  }

  /** How many connections were reset because a request outgrew {@link #resetOnRequestOver}. */
  public long oversizeResetCount() {
    return journal.oversizeResets();
  }

  /** How many root values were ignored because they were not arrays (not counting heartbeats). */
  public long malformedCount() {
    return journal.malformed();
  }

  /**
   * Why connections were closed or values ignored, oldest first: for example a non-string tag,
   * bad gzip, bytes that are not msgpack, or a connection that ended mid-request.
   */
  public List<String> protocolErrors() {
    return journal.errors();
  }

  // ---- TLS and the shared-key handshake

  /**
   * A copy of the shared-key handshakes run so far (see {@link
   * ForwardServerConfig.Builder#sharedKey}), in the order they ended: accepted ones and refusals
   * with their reasons, and what each PING said. Empty without a shared key.
   */
  public List<ReceivedHandshake> handshakes() {
    return journal.handshakes();
  }

  /**
   * Waits until at least {@code n} handshakes have ended and returns a copy of all of them.
   *
   * @throws AssertionError on timeout (or close), saying how many ran
   */
  public List<ReceivedHandshake> awaitHandshakes(int n, Duration timeout) {
    return journal.awaitHandshakes(n, timeout);
  }

  /**
   * A copy of the TLS sessions negotiated so far (see {@link ForwardServerConfig.Builder#tls}),
   * in order: protocol, cipher suite and client certificate of each.
   */
  public List<TlsSession> tlsSessions() {
    return journal.tlsSessions();
  }

  /**
   * Why TLS handshakes failed, oldest first, such as a client that does not trust the server's
   * certificate, offers only a protocol the server does not accept, or presents no certificate
   * under mutual TLS. Each failure closed its connection only; each is in {@link
   * #protocolErrors()} too.
   */
  public List<String> tlsFailures() {
    return journal.tlsFailures();
  }

  // ---- scripting

  /** Queues a fault for the next request read on any connection; see {@link Fault}. */
  public void enqueueFault(Fault fault) {
    script.enqueue(Objects.requireNonNull(fault, "fault"));
  }

  /** How many queued faults no request has taken yet. */
  public int pendingFaults() {
    return script.pendingFaults();
  }

  /**
   * Lets the server read at most {@code n} more bytes, counted over all connections; the
   * connection that reads the last of them is closed abruptly on its next read. Requests complete
   * within those bytes are stored and acked; the request cut short is not stored. One-shot: after
   * the cut, reading is unlimited again. {@code n = 0} cuts whichever connection reads next.
   */
  public void closeAfterBytes(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("closeAfterBytes must be >= 0, was " + n);
    }
    script.closeAfterBytes(n);
  }

  /**
   * Stops ({@code true}) or resumes ({@code false}) reading on all connections, current and new.
   * While stalled, the client's writes block once the socket buffers are full; pair with a small
   * {@link ForwardServerConfig.Builder#receiveBufferSize(int)}. Bytes already read before the
   * stall may still be decoded.
   */
  public void stallReading(boolean stall) {
    script.stall(stall);
  }

  /**
   * Delays every ack by {@code delay} from now on, without delaying reading; acks keep request
   * order. {@link Duration#ZERO} sends acks at once.
   */
  public void ackDelay(Duration delay) {
    script.ackDelay(checkAckDelay(delay));
  }

  /**
   * From the next request on, reads a request larger than {@code bytes} on the wire completely,
   * then drops it: not stored, not acked, and the connection stays open for the requests after it.
   * That is Fluentd's {@code chunk_size_limit}, where only an ack timeout tells the client. The
   * dropped request takes no queued {@link Fault}. {@link ForwardServerConfig#NO_SIZE_LIMIT} turns
   * the limit off.
   *
   * @throws IllegalArgumentException if {@code bytes <= 0}
   */
  public void dropRequestsOver(long bytes) {
    script.dropRequestsOver(ForwardServerConfig.checkSizeLimit("dropRequestsOver", bytes));
  }

  /**
   * Resets the connection (a TCP RST) as soon as the request being read is known to be larger
   * than {@code bytes} on the wire: at once from a packed request's length header, otherwise
   * while its entries arrive. Nothing of it is stored or acked, the bytes behind it are not read,
   * and a new connection works. That is Fluent Bit's {@code buffer_max_size} (Fluent Bit also
   * applies it after decompression; this server only counts wire bytes). A client writing a large
   * request sees its write fail. {@link ForwardServerConfig#NO_SIZE_LIMIT} turns the limit off.
   *
   * @throws IllegalArgumentException if {@code bytes <= 0}
   */
  public void resetOnRequestOver(long bytes) {
    script.resetOnRequestOver(ForwardServerConfig.checkSizeLimit("resetOnRequestOver", bytes));
  }

  /**
   * With {@code true}, behaves like Fluentd with {@code deny_keepalive true}: after each request
   * the server stores it, writes its ack (if asked, after any {@link #ackDelay}), then resets the
   * connection. Requests the client pipelined behind it that had already arrived are stored but
   * never acked (Fluentd processes what one read brought in), so a client that pipelines gets
   * duplicates on resend; anything later is lost. Applies from the next request read.
   */
  public void denyKeepalive(boolean deny) {
    script.denyKeepalive(deny);
  }

  /**
   * With {@code true}, closes the listening socket and every open connection, so connection
   * attempts are refused. With {@code false}, listens again on the same port and accepts again.
   *
   * @throws UncheckedIOException if the port cannot be bound again
   * @throws IllegalStateException if the server is closed
   */
  public void refuseConnections(boolean refuse) {
    if (refuse) {
      Listener old;
      synchronized (lifecycle) {
        requireOpen();
        old = listener;
        listener = null;
      }
      stopListenerAndConnections(old);
    } else {
      synchronized (lifecycle) {
        requireOpen();
        if (listener != null) {
          return;
        }
      }
      Listener fresh = listen();
      synchronized (lifecycle) {
        if (!closed && listener == null) {
          listener = fresh;
          return;
        }
      }
      stopListenerAndConnections(fresh);
    }
  }

  /** Same as {@code refuseConnections(true)}: the server looks down but keeps its events. */
  public void stop() {
    refuseConnections(true);
  }

  /** Same as {@code refuseConnections(false)}: the server comes back on the same port. */
  public void restart() {
    refuseConnections(false);
  }

  /**
   * Closes the listening socket and all connections and waits, up to 5 seconds in total, for
   * every thread the server started. Idempotent. Recorded events stay readable.
   */
  @Override
  public void close() {
    Listener old;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      old = listener;
      listener = null;
    }
    stopListenerAndConnections(old);
    try {
      ackScheduler.shutdown(JOIN_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    journal.close();
  }

  @Override
  public String toString() {
    return "ForwardServer{" + HOST + ":" + port + ", events=" + eventCount() + ", open="
        + openConnections() + "}";
  }

  static Duration checkAckDelay(Duration delay) {
    Objects.requireNonNull(delay, "ackDelay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("ackDelay must be >= 0, was " + delay);
    }
    return delay;
  }

  private Listener listen() {
    try {
      Listener fresh = Listener.open(
          config.socketFactory(), port, config.receiveBufferSize(), this::accepted);
      fresh.start();
      return fresh;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + HOST + ":" + port + " again", e);
    }
  }

  /** Runs on the accept thread. */
  private void accepted(Socket socket) {
    ConnectionHandler handler = new ConnectionHandler(lastConnectionId.incrementAndGet(), socket,
        port, config, journal, script, ackScheduler, handlers::remove);
    journal.connectionOpened();
    handlers.add(handler);
    handler.start();
  }

  /**
   * Stops accepting first, so that no connection appears after the sweep, then closes and joins
   * every connection.
   */
  private void stopListenerAndConnections(Listener old) {
    long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
    try {
      if (old != null) {
        old.close();
      }
      List<ConnectionHandler> open = List.copyOf(handlers);
      open.forEach(ConnectionHandler::abort);
      for (ConnectionHandler h : open) {
        h.join((deadline - System.nanoTime()) / 1_000_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the server on port " + port + " is closed");
    }
  }
}
