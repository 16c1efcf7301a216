package dev.tributary.internal.forward;

import dev.tributary.DeliveryException;
import dev.tributary.internal.buffer.Chunk;
import dev.tributary.internal.output.DeliverySink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One open connection to an aggregator: the flusher writes requests on it, and its reader thread
 * ({@code tributary-acks-<name>}) matches acks to the chunks waiting for them by chunk id, in any
 * order, each chunk with its own deadline.
 *
 * <p>Several chunks may wait for acks at once (up to the window), so the round trip does not cap
 * throughput. The reader also watches the deadlines:
 * <ul>
 *   <li>a chunk still unacknowledged {@code ackTimeout} after it was written, while a chunk written
 *       after it was acknowledged, is one the server refuses (Fluentd drops a request over its
 *       {@code chunk_size_limit} without an ack and keeps the connection): it is handed back
 *       through {@link #takeExpired()} and the connection stays up;
 *   <li>when nothing written since a chunk was acknowledged within {@code ackTimeout}, the server
 *       is not answering at all: the connection is broken;
 *   <li>a write that blocks longer than the write timeout (a server that stopped reading) breaks
 *       the connection.
 * </ul>
 * A broken connection never comes back; its unacked chunks are handed back by {@link
 * #takeUnacked()} for the flusher to resend with the same ids.
 */
final class ForwardConnection {

  /** Why a connection ended. */
  enum End { OPEN, CLOSED_HERE, PEER, ACK_TIMEOUT, WRITE_TIMEOUT }

  /** Acks still recognised (and ignored) after their chunk was handed back as expired. */
  private static final int EXPIRED_IDS_KEPT = 4096;

  private final Socket socket;
  private final OutputStream out;
  private final ServerAddress server;
  private final boolean requireAck;
  private final long ackTimeoutNanos;
  private final long writeTimeoutNanos;
  private final LongSupplier nanoClock;
  private final DeliverySink sink;
  private final RequestFramer framer;
  private final AtomicLong outputLastAckNanos;
  private final boolean keepalive;
  private final AckReader acksIn;
  private final Thread reader;

  // guarded by this
  private final LinkedHashMap<String, Chunk> waiting = new LinkedHashMap<>();
  private final List<Chunk> expired = new ArrayList<>();
  private final LinkedHashSet<String> expiredIds = new LinkedHashSet<>();
  private long waitingRecords;
  /** The latest write time of a chunk acknowledged so far: evidence that the server answers. */
  private long lastAckedSentNanos;
  private int acks;

  private volatile Throwable broken;
  private volatile End end = End.OPEN;
  private volatile long writeStartedNanos;
  private int requests;

  ForwardConnection(Socket socket, ServerAddress server, boolean requireAck, long ackTimeoutNanos,
      long writeTimeoutNanos, LongSupplier nanoClock, DeliverySink sink, RequestFramer framer,
      AtomicLong outputLastAckNanos, boolean keepalive, AckReader acksIn, String threadName)
      throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.server = server;
    this.requireAck = requireAck;
    this.ackTimeoutNanos = ackTimeoutNanos;
    this.writeTimeoutNanos = writeTimeoutNanos;
    this.nanoClock = nanoClock;
    this.sink = sink;
    this.framer = framer;
    this.outputLastAckNanos = outputLastAckNanos;
    this.keepalive = keepalive;
    this.acksIn = acksIn;
    long tick = Math.min(ackTimeoutNanos, writeTimeoutNanos) / 4_000_000L;
    socket.setSoTimeout((int) Math.max(10, Math.min(200, tick)));
    InputStream in = socket.getInputStream();
    this.reader = new Thread(() -> readLoop(in), threadName);
    reader.setDaemon(true);
  }

  /** Starts the reader thread; the connection is usable from then on. */
  ForwardConnection start() {
    reader.start();
    return this;
  }

  ServerAddress server() {
    return server;
  }

  boolean broken() {
    return broken != null;
  }

  Throwable failure() {
    return broken;
  }

  End end() {
    return end;
  }

  /** False when the server's HELO said it closes the connection after one request. */
  boolean keepalive() {
    return keepalive;
  }

  synchronized int unackedChunks() {
    return waiting.size();
  }

  synchronized long unackedRecords() {
    return waitingRecords;
  }

  /** Acks received on this connection. */
  synchronized int acks() {
    return acks;
  }

  /** Requests written on this connection (flusher thread). */
  int requests() {
    return requests;
  }

  /**
   * Writes the request for {@code chunk}. With acks on the chunk waits in this connection for its
   * ack; with acks off it is delivered once written. On failure the connection is broken and the
   * chunk is among {@link #takeUnacked()} (acks on) or the caller's to keep (acks off).
   */
  void send(Chunk chunk) throws IOException {
    send(chunk, true);
  }

  /**
   * As {@link #send(Chunk)}; without {@code flush}, and with acks on, the request may stay in the
   * connection's buffer until {@link #flushOut()} or a later send writes it out. With acks off a
   * chunk counts as delivered once written, so it is always written out at once.
   */
  void send(Chunk chunk, boolean flush) throws IOException {
    if (requireAck) {
      synchronized (this) {
        chunk.sent(0);
        waiting.put(chunk.id(), chunk);
        waitingRecords += chunk.records();
      }
    }
    Throwable b = broken;
    if (b != null) {
      throw new DeliveryException("connection to " + server + " is broken", b, true);
    }
    writeStartedNanos = nanoClock.getAsLong();
    try {
      framer.write(chunk, out);
      if (flush || !requireAck) {
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // anything thrown here ends the connection: the chunk stays accounted for as unacked
      Throwable cause = broken != null ? broken : e;
      fail(cause, End.PEER);
      throw new DeliveryException("write to " + server + " failed: " + cause, cause, true);
    } finally {
      writeStartedNanos = 0;
    }
    requests++;
    chunk.markWritten();
    if (requireAck) {
      synchronized (this) {
        // the ack may already have come; only stamp a chunk that is still waiting
        if (waiting.get(chunk.id()) == chunk) {
          chunk.sent(nanoClock.getAsLong());
        }
      }
    } else {
      sink.delivered(chunk);
    }
  }

  /**
   * Writes out the requests that {@link #send(Chunk, boolean)} left in the buffer; bounded by the
   * write timeout as a send is. On failure the connection is broken, as on a failed send.
   */
  void flushOut() throws IOException {
    if (broken != null) {
      return; // the chunks in the buffer are unacked, and come back with the connection's failure
    }
    writeStartedNanos = nanoClock.getAsLong();
    try {
      out.flush();
    } catch (IOException | RuntimeException e) {
      Throwable cause = broken != null ? broken : e;
      fail(cause, End.PEER);
      throw new DeliveryException("write to " + server + " failed: " + cause, cause, true);
    } finally {
      writeStartedNanos = 0;
    }
  }

  /** Breaks the connection (idempotent): closes the socket so the writer and reader stop. */
  void fail(Throwable cause, End why) {
    synchronized (this) {
      if (broken != null) {
        return;
      }
      broken = cause;
      end = why;
    }
    closeQuietly();
    sink.wake();
  }

  /**
   * Chunks handed back while the connection stays up: unacknowledged by their deadline while
   * later chunks were acknowledged. Each is marked {@link Chunk#unackedWhileServerAcked}.
   */
  synchronized List<Chunk> takeExpired() {
    if (expired.isEmpty()) {
      return List.of();
    }
    List<Chunk> l = new ArrayList<>(expired);
    expired.clear();
    return l;
  }

  /**
   * Once broken: the chunks that never got their ack, oldest first, marked for what the break says
   * about them. After an ack timeout, each chunk past its deadline is to be split, and the oldest,
   * if a single event, goes to the back of the queue. After the server
   * broke the connection, the oldest waiting chunk is the one it was reading (servers answer in
   * order): a chunk that broke two connections in a row is to be split, and if it is a single
   * event it goes to the back of the queue, so that what waits behind it gets through and shows
   * whether the server refuses only this one.
   */
  synchronized List<Chunk> takeUnacked() {
    List<Chunk> l = new ArrayList<>(expired);
    expired.clear();
    List<Chunk> unacked = new ArrayList<>(waiting.values());
    waiting.clear();
    waitingRecords = 0;
    long now = nanoClock.getAsLong();
    if (end == End.ACK_TIMEOUT) {
      boolean first = true;
      for (Chunk c : unacked) {
        if (c.sentNanos() != 0 && now - c.sentNanos() > ackTimeoutNanos) {
          if (c.records() > 1) {
            c.wantSplit();
          } else if (first) {
            // alone it shows nothing; behind others, their acks show whether only it is refused
            c.sendLast(true);
          }
          first = false;
        }
      }
    } else if (end == End.PEER && !unacked.isEmpty()) {
      Chunk culprit = unacked.get(0);
      boolean othersAckedSince = outputLastAckNanos.get() - culprit.lastBreakNanos() > 0
          && culprit.lastBreakNanos() != 0;
      if (culprit.brokeConnection(now) >= 2) {
        if (culprit.records() > 1) {
          culprit.wantSplit();
        } else {
          if (othersAckedSince) {
            culprit.rejectedOnce();
          }
          culprit.sendLast(true);
        }
      }
    }
    for (Chunk c : unacked) {
      c.unackedWhileServerAcked(false);
    }
    l.addAll(unacked);
    return l;
  }

  /** Closes the socket and waits (bounded) for the reader thread to end. */
  void close(long joinMillis) {
    fail(new DeliveryException("connection closed", true), End.CLOSED_HERE);
    try {
      if (reader.isAlive()) {
        reader.join(Math.max(1, joinMillis));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that is wanted
    }
  }

  private void readLoop(InputStream in) {
    AckReader acks = acksIn;
    byte[] buf = new byte[4096];
    try {
      while (broken == null) {
        int n;
        try {
          n = in.read(buf);
        } catch (SocketTimeoutException timeout) {
          checkDeadlines();
          continue;
        }
        if (n < 0) {
          fail(new DeliveryException("server " + server + " closed the connection", true), End.PEER);
          return;
        }
        if (!requireAck) {
          continue;
        }
        acks.feed(buf, n);
        String id;
        boolean acked = false;
        while ((id = acks.next()) != null) {
          onAck(id);
          acked = true;
        }
        if (acked) {
          // once for all the acks of one read: with many small chunks acks come fast
          sink.wake();
        }
        checkDeadlines();
      }
    } catch (DeadlineException e) {
      fail(e.getCause(), e.end);
    } catch (IOException | RuntimeException e) {
      fail(broken != null ? broken : e, End.PEER);
    }
  }

  private void onAck(String id) throws DeliveryException {
    Chunk acked;
    synchronized (this) {
      acked = waiting.remove(id);
      if (acked == null) {
        if (expiredIds.contains(id)) {
          return; // late ack of a chunk already handed back: the resend decides
        }
      } else {
        waitingRecords -= acked.records();
        acks++;
        long sent = acked.sentNanos() != 0 ? acked.sentNanos() : nanoClock.getAsLong();
        if (sent - lastAckedSentNanos > 0 || lastAckedSentNanos == 0) {
          lastAckedSentNanos = sent;
        }
      }
    }
    if (acked == null) {
      throw new DeliveryException("ack " + id + " from " + server + " matches no chunk waiting", true);
    }
    outputLastAckNanos.set(nanoClock.getAsLong());
    sink.delivered(acked);
  }

  private void checkDeadlines() throws DeadlineException {
    long now = nanoClock.getAsLong();
    long ws = writeStartedNanos;
    if (ws != 0 && now - ws > writeTimeoutNanos) {
      throw new DeadlineException(End.WRITE_TIMEOUT, new DeliveryException("write to " + server
          + " stalled for more than " + writeTimeoutNanos / 1_000_000 + " ms", true));
    }
    boolean handedBack = false;
    synchronized (this) {
      for (Iterator<Chunk> it = waiting.values().iterator(); it.hasNext(); ) {
        Chunk c = it.next();
        long sent = c.sentNanos();
        if (sent == 0 || now - sent <= ackTimeoutNanos) {
          break; // chunks are written in order: the rest are younger
        }
        if (lastAckedSentNanos == 0 || lastAckedSentNanos - sent <= 0) {
          throw new DeadlineException(End.ACK_TIMEOUT, new DeliveryException("no ack from " + server
              + " within " + ackTimeoutNanos / 1_000_000 + " ms", true));
        }
        // a chunk written after this one was acknowledged: the server answers, but not this chunk
        it.remove();
        waitingRecords -= c.records();
        rememberExpired(c.id());
        c.unackedWhileServerAcked(true);
        if (c.records() > 1) {
          c.wantSplit();
        } else {
          c.rejectedOnce();
        }
        expired.add(c);
        handedBack = true;
      }
    }
    if (handedBack) {
      sink.wake();
    }
  }

  private void rememberExpired(String id) {
    if (expiredIds.size() >= EXPIRED_IDS_KEPT) {
      Iterator<String> oldest = expiredIds.iterator();
      oldest.next();
      oldest.remove();
    }
    expiredIds.add(id);
  }

  /** A deadline that ends the connection, with the reason it ends. */
  private static final class DeadlineException extends IOException {
    private static final long serialVersionUID = 1L;
    final End end;

    DeadlineException(End end, DeliveryException cause) {
      super(cause.getMessage(), cause);
      this.end = end;
    }
  }
}
