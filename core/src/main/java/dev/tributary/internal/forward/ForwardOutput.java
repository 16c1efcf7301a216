package dev.tributary.internal.forward;

import dev.tributary.DeliveryException;
import dev.tributary.HeartbeatType;
import dev.tributary.TributaryListener;
import dev.tributary.internal.buffer.Chunk;
import dev.tributary.internal.output.DeliverySink;
import dev.tributary.internal.output.Output;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The forward-protocol output: keeps one connection open (keepalive) to each server that takes
 * chunks, writes each chunk as one request to the server the {@link ServerSet} picks (by weight,
 * standby servers only while every primary is down), and with acks on keeps up to {@code
 * maxInFlight} chunks per connection waiting for their acks.
 *
 * <p>Flusher thread only, except that the connections' reader threads report acks through the
 * sink, and the heartbeat thread ({@link #startHeartbeat()}, {@link #stopHeartbeat()}) probes the
 * servers and breaks the connection of a server the failure detector detaches, so that its
 * unacknowledged chunks come back through {@link #takeFailed()} and go elsewhere. When a
 * connection fails, its server is passed over for a while and the chunks go to another; the
 * backoff between attempts is the flusher's business.
 *
 * <p>A server that closes a connection right after its first ack (Fluentd's {@code
 * deny_keepalive}) may store what was pipelined behind the first request without acknowledging
 * it, so a resend would duplicate it. Every server therefore gets one chunk at a time, the next
 * written only after the previous one's ack, until a connection to it has carried two acks; a
 * connection the server closes after exactly one ack puts it back to one at a time. The cost is
 * one round trip for the first chunk of a server.
 */
public final class ForwardOutput implements Output {

  private final ServerSet servers;
  private final Heartbeat heartbeat;
  private final SocketFactory socketFactory;
  private final int connectTimeoutMillis;
  private final boolean requireAck;
  private final long ackTimeoutNanos;
  private final long writeTimeoutNanos;
  private final int maxInFlight;
  private final LongSupplier nanoClock;
  private final DeliverySink sink;
  private final TributaryListener listener;
  private final String name;
  private final RequestFramer framer;
  private final TlsSettings tls;
  private final SSLSocketFactory tlsSockets;
  private final SharedKeySettings sharedKey;
  private final Clock wallClock;
  private final ChunkIds ids = new ChunkIds();

  /** The socket being connected, so that {@link #abort} can break off a slow connect too. */
  private volatile Socket connecting;
  /** The heartbeat's probe under way, so that {@link #stopHeartbeat} can break it off. */
  private volatile Socket probing;
  private volatile boolean probesStopped;
  /** The server {@link #canAccept} chose for the next {@link #send}. */
  private ServerState chosen;
  /** The server whose connection holds requests not yet written out ({@link #send(Chunk, boolean)}), or null. */
  private ServerState unflushed;
  private final List<Chunk> failed = new ArrayList<>();
  private Throwable lastFailure;

  public ForwardOutput(List<ServerSpec> servers, SocketFactory socketFactory, int connectTimeoutMillis,
      boolean requireAck, long ackTimeoutNanos, long writeTimeoutNanos, int maxInFlight, boolean gzip,
      boolean legacy, LongSupplier nanoClock, DeliverySink sink, TributaryListener listener, String name,
      TlsSettings tls, SharedKeySettings sharedKey, HealthSettings health, Clock wallClock) {
    this.servers = new ServerSet(servers, health, nanoClock, sink::wake);
    this.socketFactory = socketFactory;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.requireAck = requireAck;
    this.ackTimeoutNanos = ackTimeoutNanos;
    this.writeTimeoutNanos = writeTimeoutNanos;
    this.maxInFlight = maxInFlight;
    this.nanoClock = nanoClock;
    this.sink = sink;
    this.listener = listener;
    this.name = name;
    this.framer = new RequestFramer(gzip, legacy);
    this.tls = tls;
    this.tlsSockets = tls == null ? null : TlsContexts.socketFactory(tls);
    this.sharedKey = sharedKey;
    this.wallClock = wallClock;
    // without heartbeats there is no detector to feed, so no thread
    this.heartbeat = health.heartbeat() == HeartbeatType.NONE ? null
        : new Heartbeat(this.servers, health, new Prober(), nanoClock, wallClock, name);
  }

  /** The heartbeat's transport probe: this output's connect path, closed at once. */
  private final class Prober implements Heartbeat.Probe {
    @Override
    public void probe(ServerAddress server) throws IOException {
      closeQuietly(open(server, true).socket());
    }

    @Override
    public void abort() {
      probesStopped = true;
      closeQuietly(probing);
    }
  }

  /** Starts the heartbeat thread, if the settings call for one. */
  public void startHeartbeat() {
    if (heartbeat != null) {
      heartbeat.start();
    }
  }

  /** Stops the heartbeat thread, breaking off a probe under way. Idempotent. */
  public void stopHeartbeat() {
    if (heartbeat != null) {
      heartbeat.stop(1000);
    }
  }

  /** The servers, for {@code metrics()}. */
  public List<ServerState> servers() {
    return servers.all();
  }

  /** Bytes a request adds around the entries of a chunk for {@code tag}. */
  public static int requestOverhead(int tagBytes) {
    return RequestFramer.overhead(tagBytes);
  }

  @Override
  public boolean canAccept() {
    chosen = servers.select(nanoClock.getAsLong(), windows);
    return chosen != null;
  }

  /** The servers' windows, as the balance sees them. */
  private final ServerSet.Windows windows = new ServerSet.Windows() {
    @Override
    public boolean hasRoom(ServerState s) {
      return ForwardOutput.this.hasRoom(s);
    }

    @Override
    public long lastProgressNanos(ServerState s) {
      long ack = s.lastAckNanos.get();
      return ack != 0 && ack - s.connectedNanos > 0 ? ack : s.connectedNanos;
    }
  };

  /** Whether {@code s} can take a chunk now (its connection's window has room, or it has none yet). */
  private boolean hasRoom(ServerState s) {
    ForwardConnection c = s.connection;
    if (c == null) {
      return true;
    }
    if (c.broken()) {
      return false;
    }
    if (!c.keepalive() && c.requests() > 0) {
      // the server said in its HELO that it closes after one request: a new connection for the next
      if (c.unackedChunks() > 0) {
        return false;
      }
      c.close(1000);
      s.connection = null;
      return true;
    }
    if (!requireAck) {
      return true;
    }
    if (!s.keepaliveProven) {
      if (c.acks() >= 2) {
        s.keepaliveProven = true;
      } else {
        return c.unackedChunks() == 0;
      }
    }
    return c.unackedChunks() < maxInFlight;
  }

  @Override
  public void send(Chunk chunk) throws IOException {
    send(chunk, false);
  }

  /**
   * With {@code more}, the request may wait in the connection's buffer for the next ones: with
   * many tags every chunk is small, and one socket write per request would cost the client and
   * the server more than the events do.
   */
  @Override
  public void send(Chunk chunk, boolean more) throws IOException {
    long now = nanoClock.getAsLong();
    ServerState s = chosen != null ? chosen : servers.select(now, windows);
    chosen = null;
    if (s == null) {
      s = servers.select(now, ServerSet.ANY);
    }
    servers.picked(s);
    if (unflushed != null && unflushed != s) {
      flush();
    }
    ForwardConnection c = s.connection;
    if (c == null) {
      try {
        c = connect(s);
      } catch (IOException e) {
        failed.add(chunk);
        lastFailure = e;
        s.failed(1);
        s.note(describe(e), wallClock.instant());
        servers.failed(s, now);
        listener.onConnectionFailure(s.address().toString(), e);
        throw e;
      }
      s.connection = c;
      s.connectedNanos = now;
    }
    if (requireAck && chunk.id() == null) {
      // a chunk of the file buffer keeps the id it was made with, also across a restart
      chunk.id(chunk.storedId() != null ? chunk.storedId() : ids.next());
    }
    try {
      c.send(chunk, !more);
      unflushed = more ? s : null;
      s.sentOne();
    } catch (IOException | RuntimeException e) {
      unflushed = null;
      if (!requireAck) {
        failed.add(chunk);
        s.failed(1);
      }
      collectBroken(s);
      throw e instanceof IOException ? (IOException) e
          : new DeliveryException("send to " + c.server() + " failed: " + e, e, true);
    }
  }

  private ForwardConnection connect(ServerState state) throws IOException {
    Channel ch = open(state.address(), false);
    return new ForwardConnection(ch.socket(), state.address(), requireAck, ackTimeoutNanos, writeTimeoutNanos,
        nanoClock, state.sink(sink), framer, state.lastAckNanos, ch.keepalive(), ch.reader(),
        "tributary-acks-" + name).start();
  }

  /** A connected socket, past the TLS and shared-key handshakes, and what the handshake left. */
  private record Channel(Socket socket, boolean keepalive, AckReader reader) {}

  private Channel open(ServerAddress server, boolean probe) throws IOException {
    Socket s = socketFactory.createSocket();
    if (probe) {
      probing = s;
      if (probesStopped) {
        closeQuietly(s); // stopHeartbeat ran before this socket was visible to it
      }
    } else {
      connecting = s;
    }
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.setSendBufferSize(256 * 1024);
      long deadline = nanoClock.getAsLong() + connectTimeoutMillis * 1_000_000L;
      s.connect(new InetSocketAddress(server.host(), server.port()), connectTimeoutMillis);
      Socket channel = s;
      if (tlsSockets != null) {
        channel = startTls(s, server, remainingMillis(deadline));
      }
      boolean keepalive = true;
      AckReader reader = new AckReader();
      if (sharedKey != null) {
        channel.setSoTimeout(remainingMillis(deadline));
        SharedKeyHandshake.Result r = SharedKeyHandshake.run(channel, sharedKey, server);
        keepalive = r.keepalive();
        reader = r.reader();
      }
      return new Channel(channel, keepalive, reader);
    } catch (IOException | RuntimeException e) {
      closeQuietly(s);
      throw e instanceof IOException ? (IOException) e
          : new DeliveryException("cannot connect to " + server + ": " + e, e, true);
    } finally {
      if (probe) {
        probing = null;
      } else {
        connecting = null;
      }
    }
  }

  private int remainingMillis(long deadlineNanos) throws DeliveryException {
    long left = (deadlineNanos - nanoClock.getAsLong()) / 1_000_000L;
    if (left <= 0) {
      throw new DeliveryException("connect timeout (" + connectTimeoutMillis + " ms) passed during the handshake", true);
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  /** Completes the TLS handshake inside connect, bounded by what is left of the connect timeout. */
  private Socket startTls(Socket plain, ServerAddress server, int timeoutMillis) throws IOException {
    SSLSocket ssl = (SSLSocket) tlsSockets.createSocket(plain, server.host(), server.port(), true);
    SSLParameters params = ssl.getSSLParameters();
    params.setProtocols(tls.protocols().toArray(new String[0]));
    if (!tls.insecure()) {
      params.setEndpointIdentificationAlgorithm("HTTPS");
    }
    ssl.setSSLParameters(params);
    ssl.setSoTimeout(timeoutMillis);
    try {
      ssl.startHandshake();
    } catch (SSLException e) {
      throw new DeliveryException("TLS with " + server + ": " + TlsFailures.describe(e, server.host())
          + " (" + e.getMessage() + ")", e, true);
    }
    return ssl;
  }

  /**
   * Moves the chunks of a broken connection to {@code s} to the failed list and forgets the
   * connection. A connection closed with nothing waiting on it, by the server or here, is not a
   * failure: the next chunk opens a new one.
   */
  private void collectBroken(ServerState s) {
    ForwardConnection c = s.connection;
    if (c == null || !c.broken()) {
      return;
    }
    c.close(1000);
    s.connection = null;
    List<Chunk> unacked = c.takeUnacked();
    if (c.end() == ForwardConnection.End.PEER && c.acks() == 1) {
      s.keepaliveProven = false;
    } else if (c.acks() >= 2) {
      s.keepaliveProven = true;
    }
    if (unacked.isEmpty()
        && (c.end() == ForwardConnection.End.PEER || c.end() == ForwardConnection.End.CLOSED_HERE)) {
      return;
    }
    failed.addAll(unacked);
    s.failed(unacked.size());
    lastFailure = c.failure();
    s.note(describe(c.failure()), wallClock.instant());
    if (c.end() != ForwardConnection.End.CLOSED_HERE) {
      servers.failed(s, nanoClock.getAsLong());
    }
    listener.onConnectionFailure(s.address().toString(), c.failure());
  }

  @Override
  public void flush() {
    ServerState s = unflushed;
    unflushed = null;
    ForwardConnection c = s == null ? null : s.connection;
    if (c == null) {
      return;
    }
    try {
      c.flushOut();
    } catch (IOException | RuntimeException e) {
      collectBroken(s);
    }
  }

  @Override
  public List<Chunk> takeFailed() {
    for (String notice : servers.takeNotices()) {
      listener.onWarning(notice);
    }
    for (ServerState s : servers.all()) {
      collectBroken(s);
      ForwardConnection c = s.connection;
      if (c != null) {
        List<Chunk> expired = c.takeExpired();
        failed.addAll(expired);
        s.failed(expired.size());
        if (!servers.inRotation(s) && c.unackedChunks() == 0) {
          // a standby once a primary is back: only the servers in use keep a connection
          c.close(1000);
          s.connection = null;
        }
      }
    }
    if (failed.isEmpty()) {
      return List.of();
    }
    List<Chunk> l = new ArrayList<>(failed);
    failed.clear();
    return l;
  }

  @Override
  public Throwable lastFailure() {
    return lastFailure;
  }

  /** Unacked chunks on the open connections. */
  public int inFlightChunks() {
    int n = 0;
    for (ServerState s : servers.all()) {
      ForwardConnection c = s.connection;
      n += c == null ? 0 : c.unackedChunks();
    }
    return n;
  }

  @Override
  public void abort(Throwable cause) {
    for (ServerState s : servers.all()) {
      ForwardConnection c = s.connection;
      if (c != null) {
        c.fail(cause, ForwardConnection.End.CLOSED_HERE);
      }
    }
    closeQuietly(connecting);
  }

  @Override
  public void close() {
    for (ServerState s : servers.all()) {
      ForwardConnection c = s.connection;
      if (c != null) {
        c.close(1000);
        failed.addAll(c.takeUnacked());
        s.connection = null;
      }
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing is all that is wanted
      }
    }
  }
}
