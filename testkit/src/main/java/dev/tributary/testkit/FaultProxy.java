package dev.tributary.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ServerSocketFactory;

/**
 * A TCP proxy on 127.0.0.1 that sits between a client and a {@link ForwardServer} (or any TCP
 * server) and misbehaves on cue the way networks do: a black hole, a reset mid-request, a slow
 * link, a partition, a host that is down, a server that moved.
 *
 * <p>Faults are switched at run time and apply at once to new connections; {@link
 * #blackHole(boolean)}, {@link #partition()}, {@link #refuseConnections(boolean)} and the throttle
 * also switch the connections already open. A connection that became a black hole or hung stays
 * so until it is closed: it has lost bytes, as a real connection through a broken path would.
 * {@link #clearFaults()} ends every fault for new connections.
 *
 * <p><b>Threads.</b> One daemon thread accepts ({@code tributary-testkit-proxy-<port>-accept});
 * each connection has one pump thread per direction ({@code
 * tributary-testkit-proxy-<port>-<n>-up} and {@code -down}) that ends with the connection, so
 * thousands of connections leave nothing behind. An error on a connection ends that connection
 * only. All methods are thread safe.
 *
 * <p><b>Ownership.</b> The proxy owns its listening socket, every connection's two sockets and the
 * threads. {@link #close()} resets every connection and waits (bounded) for every thread. It does
 * not own the upstream server.
 *
 * <pre>{@code
 * try (ForwardServer server = ForwardServer.start();
 *     FaultProxy proxy = FaultProxy.start(server)) {
 *   // point the client at proxy.host(), proxy.port()
 *   proxy.partition();            // current connections hang, silently
 *   proxy.heal();                 // new connections get through again
 *   server.awaitEvents(1, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
  /** No limit: pass it to {@link #throttle(long)} or {@link #resetAfterBytes(long)} to clear. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  /** Every thread of a proxy is named {@code tributary-testkit-proxy-<port>-...}. */
  public static final String THREAD_PREFIX = "tributary-testkit-proxy-";

  private static final String HOST = "127.0.0.1";

  private final ProxyScript script = new ProxyScript(System::nanoTime);
  private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong bytesToUpstream = new AtomicLong();
  private final AtomicLong bytesToClient = new AtomicLong();
  private final int receiveBufferSize;
  private final int port;
  private volatile InetSocketAddress upstream;
  private final Object lock = new Object();
  private Listener listener; // guarded by lock; null while refusing or closed
  private boolean closed; // guarded by lock
  private boolean blackHole; // guarded by lock; for new connections
  private boolean partitioned; // guarded by lock; for new connections

  private FaultProxy(Builder b) throws IOException {
    this.upstream = b.upstream;
    this.receiveBufferSize = b.receiveBufferSize;
    this.listener = Listener.open(ServerSocketFactory.getDefault(), b.port, receiveBufferSize,
        THREAD_PREFIX, this::accepted);
    this.port = listener.port();
  }

  /** Starts a proxy with default settings in front of {@code upstream}. */
  public static FaultProxy start(InetSocketAddress upstream) {
    return builder(upstream).start();
  }

  /** Starts a proxy with default settings in front of {@code server}. */
  public static FaultProxy start(ForwardServer server) {
    return start(server.address());
  }

  /** Returns a builder for a proxy in front of {@code upstream} with non-default settings. */
  public static Builder builder(InetSocketAddress upstream) {
    return new Builder(upstream);
  }

  /** The port the proxy listens on; it stays the same across {@link #refuseConnections}. */
  public int port() {
    return port;
  }

  /** The address the proxy listens on: always {@code "127.0.0.1"}. */
  public String host() {
    return HOST;
  }

  /** {@link #host()} and {@link #port()} as a socket address: where clients connect. */
  public InetSocketAddress address() {
    return new InetSocketAddress(Listener.LOOPBACK, port);
  }

  /** Where new connections are forwarded to. */
  public InetSocketAddress upstream() {
    return upstream;
  }

  // ---- counters

  /** How many connections the proxy accepted since start. */
  public int connectionCount() {
    return accepted.get();
  }

  /** How many connections are open now, including those black-holed or hung. */
  public int openConnections() {
    return connections.size();
  }

  /** How many bytes went from clients to the upstream server. */
  public long bytesToUpstream() {
    return bytesToUpstream.get();
  }

  /** How many bytes went from the upstream server to clients. */
  public long bytesToClient() {
    return bytesToClient.get();
  }

  // ---- faults

  /**
   * With {@code true}, the proxy becomes a half-open peer: it accepts connections and reads and
   * discards everything, forwards nothing, never answers and never closes. Open connections switch
   * too (a chunk already read may still pass). With {@code false}, new connections are forwarded
   * again; the black-holed ones stay so until their client closes or the proxy does.
   */
  public void blackHole(boolean on) {
    List<ProxyConnection> open;
    synchronized (lock) {
      blackHole = on;
      open = on ? List.copyOf(connections) : List.of();
    }
    open.forEach(ProxyConnection::blackHole);
  }

  /**
   * Lets {@code bytes} more client bytes through, counted over all connections, then resets the
   * connection that carried the last of them, both sides (a TCP RST each), before it forwards
   * anything more. One-shot: then bytes flow freely again. {@code 0} resets whichever connection
   * sends next; {@link #UNLIMITED} cancels.
   *
   * @throws IllegalArgumentException if {@code bytes < 0}
   */
  public void resetAfterBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("resetAfterBytes must be >= 0, was " + bytes);
    }
    script.resetAfterBytes(bytes);
  }

  /**
   * Forwards client bytes at most {@code bytesPerSecond}, over all connections, as a slow reader
   * or a slow link would: the proxy reads no faster, so the client's writes back up once the
   * socket buffers are full (pair with a small {@link Builder#receiveBufferSize(int)}). Applies to
   * open connections too. Server-to-client bytes are not limited. {@link #UNLIMITED} clears it.
   *
   * @throws IllegalArgumentException if {@code bytesPerSecond <= 0}
   */
  public void throttle(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("throttle must be > 0 bytes/s, was " + bytesPerSecond);
    }
    script.throttle(bytesPerSecond);
  }

  /**
   * Drops every open connection silently, as a network partition does: the proxy stops reading
   * and forwarding both ways and sends nothing, neither FIN nor RST, to the client or the server,
   * so both their sockets hang. New connections are still accepted, and hang too, until {@link
   * #heal()}. Hung connections hold their sockets but no thread.
   */
  public void partition() {
    List<ProxyConnection> open;
    synchronized (lock) {
      partitioned = true;
      open = List.copyOf(connections);
    }
    open.forEach(ProxyConnection::hang);
  }

  /**
   * Ends a {@link #partition()}: new connections are forwarded again. The connections dropped by
   * the partition stay hung until their client closes them (and the proxy closes) or {@link
   * #refuseConnections(boolean)} resets them, so only a client that gives up on them recovers.
   */
  public void heal() {
    synchronized (lock) {
      partitioned = false;
    }
  }

  /**
   * With {@code true}, the host looks down: the listening socket closes, so connection attempts
   * are refused, and every open connection (black-holed and hung ones too) is reset. With {@code
   * false}, listens again on the same port.
   *
   * @throws UncheckedIOException if the port cannot be bound again
   * @throws IllegalStateException if the proxy is closed
   */
  public void refuseConnections(boolean refuse) {
    if (refuse) {
      Listener old;
      synchronized (lock) {
        requireOpen();
        old = listener;
        listener = null;
      }
      stopListenerAndConnections(old);
    } else {
      synchronized (lock) {
        requireOpen();
        if (listener != null) {
          return;
        }
      }
      Listener fresh = listen();
      synchronized (lock) {
        if (!closed && listener == null) {
          listener = fresh;
          return;
        }
      }
      stopListenerAndConnections(fresh);
    }
  }

  /**
   * Forwards new connections to {@code upstream} from now on, for example to a server restarted
   * on another port; open connections stay with the server they reached.
   */
  public void retarget(InetSocketAddress upstream) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
  }

  /**
   * Ends every fault for new connections: no black hole, no partition, no throttle, no pending
   * reset, and listening again if refusing. Does not change the upstream.
   */
  public void clearFaults() {
    blackHole(false);
    heal();
    script.throttle(UNLIMITED);
    script.resetAfterBytes(UNLIMITED);
    refuseConnections(false);
  }

  /**
   * Resets every connection, closes the listening socket and waits, up to 5 seconds in total,
   * for every thread the proxy started. Idempotent.
   */
  @Override
  public void close() {
    Listener old;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      old = listener;
      listener = null;
    }
    stopListenerAndConnections(old);
  }

  @Override
  public String toString() {
    return "FaultProxy{" + HOST + ":" + port + " -> " + upstream + ", open=" + openConnections()
        + "}";
  }

  private Listener listen() {
    try {
      Listener fresh = Listener.open(ServerSocketFactory.getDefault(), port, receiveBufferSize,
          THREAD_PREFIX, this::accepted);
      fresh.start();
      return fresh;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + HOST + ":" + port + " again", e);
    }
  }

  /** Runs on the accept thread; never throws, so that accepting goes on. */
  private void accepted(Socket socket) {
    int id = accepted.incrementAndGet();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(ProxyConnection.POLL_MILLIS);
    } catch (IOException e) {
      closeQuietly(socket);
      return;
    }
    ProxyConnection connection = new ProxyConnection(socket, upstream, script,
        THREAD_PREFIX + port + "-" + id, bytesToUpstream::addAndGet, bytesToClient::addAndGet,
        connections::remove);
    ProxyConnection.Mode mode;
    synchronized (lock) {
      if (closed) {
        closeQuietly(socket);
        return;
      }
      // Registered and given its mode together, so a fault switched now reaches it either way.
      connections.add(connection);
      mode = partitioned ? ProxyConnection.Mode.HANG
          : blackHole ? ProxyConnection.Mode.BLACK_HOLE : ProxyConnection.Mode.FORWARD;
    }
    try {
      connection.start(mode);
    } catch (RuntimeException e) {
      connection.reset();
    }
  }

  /**
   * Stops accepting first, so that no connection appears after the sweep, then resets and joins
   * every connection.
   */
  private void stopListenerAndConnections(Listener old) {
    long deadline = System.nanoTime() + ForwardServer.JOIN_TIMEOUT.toNanos();
    try {
      if (old != null) {
        old.close();
      }
      List<ProxyConnection> open = List.copyOf(connections);
      open.forEach(ProxyConnection::reset);
      for (ProxyConnection c : open) {
        c.join(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the proxy on port " + port + " is closed");
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Best effort: the client may have gone already.
    }
  }

  /**
   * Builds and starts a {@link FaultProxy}. Not thread safe; confine a builder to one thread.
   *
   * <pre>{@code
   * FaultProxy proxy = FaultProxy.builder(server.address()).receiveBufferSize(4096).start();
   * }</pre>
   */
  public static final class Builder {
    private final InetSocketAddress upstream;
    private int port = ForwardServerConfig.DEFAULT_PORT;
    private int receiveBufferSize = ForwardServerConfig.DEFAULT_RECEIVE_BUFFER_SIZE;

    private Builder(InetSocketAddress upstream) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
    }

    /** The port to bind on 127.0.0.1, 0..65535; default 0 (any free port). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be within 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * {@code SO_RCVBUF} for client connections, in bytes; 0 (the default) keeps the OS default. A
     * small buffer makes a {@link FaultProxy#throttle(long) throttled} or {@link
     * FaultProxy#partition() partitioned} client's writes back up quickly. The OS may round the value.
     */
    public Builder receiveBufferSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("receiveBufferSize must be >= 0, was " + bytes);
      }
      this.receiveBufferSize = bytes;
      return this;
    }

    /**
     * Binds and starts the proxy, as {@link ForwardServer}'s builder does; the same as {@link
     * #start()}.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public FaultProxy build() {
      return start();
    }

    /**
     * Binds and starts the proxy.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public FaultProxy start() {
      FaultProxy proxy;
      try {
        proxy = new FaultProxy(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + HOST + ":" + port, e);
      }
      // Accepting starts only now, so the accept thread never sees a half-built proxy.
      proxy.listener.start();
      return proxy;
    }
  }
}
