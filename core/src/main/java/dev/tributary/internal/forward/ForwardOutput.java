package dev.tributary.internal.forward;

import dev.tributary.DeliveryException;
import dev.tributary.TributaryListener;
import dev.tributary.internal.buffer.Chunk;
import dev.tributary.internal.output.DeliverySink;
import dev.tributary.internal.output.Output;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The forward-protocol output: keeps one connection open (keepalive), writes each chunk as one
 * request, and with acks on keeps up to {@code maxInFlight} chunks waiting for their acks.
 *
 * <p>Flusher thread only, except that the connection's reader thread reports acks through the
 * sink. When a connection fails, the next attempt goes to the next server in the list (failover);
 * the backoff between attempts is the flusher's business.
 *
 * <p>A server that closes a connection right after its first ack (Fluentd's {@code
 * deny_keepalive}) may store what was pipelined behind the first request without acknowledging
 * it, so a resend would duplicate it. Every server therefore gets one chunk at a time, the next
 * written only after the previous one's ack, until a connection to it has carried two acks; a
 * connection the server closes after exactly one ack puts it back to one at a time. The cost is
 * one round trip for the first chunk of a server.
 */
public final class ForwardOutput implements Output {

  private final List<ServerAddress> servers;
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
  private final ChunkIds ids = new ChunkIds();
  private final AtomicLong lastAckNanos = new AtomicLong();
  /** Servers whose connections have been seen to carry two acks: chunks may be pipelined. */
  private final Set<ServerAddress> keepaliveProven = new HashSet<>();

  private volatile ForwardConnection connection;
  /** The socket being connected, so that {@link #abort} can break off a slow connect too. */
  private volatile Socket connecting;
  private int serverIndex;
  private final List<Chunk> failed = new ArrayList<>();
  private Throwable lastFailure;

  public ForwardOutput(List<ServerAddress> servers, SocketFactory socketFactory, int connectTimeoutMillis,
      boolean requireAck, long ackTimeoutNanos, long writeTimeoutNanos, int maxInFlight, boolean gzip,
      boolean legacy, LongSupplier nanoClock, DeliverySink sink, TributaryListener listener, String name,
      TlsSettings tls, SharedKeySettings sharedKey) {
    this.servers = List.copyOf(servers);
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
  }

  /** Bytes a request adds around the entries of a chunk for {@code tag}. */
  public static int requestOverhead(int tagBytes) {
    return RequestFramer.overhead(tagBytes);
  }

  @Override
  public boolean canAccept() {
    ForwardConnection c = connection;
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
      connection = null;
      return true;
    }
    if (!requireAck) {
      return true;
    }
    if (!keepaliveProven.contains(c.server())) {
      if (c.acks() >= 2) {
        keepaliveProven.add(c.server());
      } else {
        return c.unackedChunks() == 0;
      }
    }
    return c.unackedChunks() < maxInFlight;
  }

  @Override
  public void send(Chunk chunk) throws IOException {
    ForwardConnection c = connection;
    if (c == null) {
      try {
        c = connect();
      } catch (IOException e) {
        failed.add(chunk);
        lastFailure = e;
        ServerAddress server = servers.get(serverIndex);
        serverIndex = (serverIndex + 1) % servers.size();
        listener.onConnectionFailure(server.toString(), e);
        throw e;
      }
      connection = c;
    }
    if (requireAck && chunk.id() == null) {
      chunk.id(ids.next());
    }
    try {
      c.send(chunk);
    } catch (IOException | RuntimeException e) {
      if (!requireAck) {
        failed.add(chunk);
      }
      collectBroken();
      throw e instanceof IOException ? (IOException) e
          : new DeliveryException("send to " + c.server() + " failed: " + e, e, true);
    }
  }

  private ForwardConnection connect() throws IOException {
    ServerAddress server = servers.get(serverIndex);
    Socket s = socketFactory.createSocket();
    connecting = s;
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
      connecting = null;
      return new ForwardConnection(channel, server, requireAck, ackTimeoutNanos, writeTimeoutNanos,
          nanoClock, sink, framer, lastAckNanos, keepalive, reader, "tributary-acks-" + name).start();
    } catch (IOException | RuntimeException e) {
      connecting = null;
      try {
        s.close();
      } catch (IOException ignored) {
        // the connect failure is what matters
      }
      throw e instanceof IOException ? (IOException) e
          : new DeliveryException("cannot connect to " + server + ": " + e, e, true);
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
   * Moves the chunks of a broken connection to the failed list and forgets the connection. A
   * connection the server closed with nothing waiting on it is not a failure: the next chunk
   * opens a new one to the same server.
   */
  private void collectBroken() {
    ForwardConnection c = connection;
    if (c == null || !c.broken()) {
      return;
    }
    c.close(1000);
    connection = null;
    List<Chunk> unacked = c.takeUnacked();
    if (c.end() == ForwardConnection.End.PEER && c.acks() == 1) {
      keepaliveProven.remove(c.server());
    } else if (c.acks() >= 2) {
      keepaliveProven.add(c.server());
    }
    if (unacked.isEmpty() && c.end() == ForwardConnection.End.PEER) {
      return;
    }
    failed.addAll(unacked);
    lastFailure = c.failure();
    serverIndex = (serverIndex + 1) % servers.size();
    listener.onConnectionFailure(c.server().toString(), c.failure());
  }

  @Override
  public List<Chunk> takeFailed() {
    collectBroken();
    ForwardConnection c = connection;
    if (c != null) {
      failed.addAll(c.takeExpired());
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

  /** Unacked chunks on the open connection. */
  public int inFlightChunks() {
    ForwardConnection c = connection;
    return c == null ? 0 : c.unackedChunks();
  }

  @Override
  public void abort(Throwable cause) {
    ForwardConnection c = connection;
    if (c != null) {
      c.fail(cause, ForwardConnection.End.CLOSED_HERE);
    }
    Socket s = connecting;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing is all that is wanted
      }
    }
  }

  @Override
  public void close() {
    ForwardConnection c = connection;
    if (c != null) {
      c.close(1000);
      failed.addAll(c.takeUnacked());
      connection = null;
    }
  }
}
