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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One open connection to an aggregator: the flusher writes requests on it, and its reader thread
 * ({@code tributary-acks-<name>}) matches acks to the chunks waiting for them, in order.
 *
 * <p>Several chunks may wait for acks at once (up to the window), so the round trip does not cap
 * throughput. The reader also watches the deadlines: a write that takes longer than the write
 * timeout (a server that stopped reading) or an ack that takes longer than the ack timeout breaks
 * the connection. A broken connection never comes back; its unacked chunks are handed back by
 * {@link #takeUnacked()} for the flusher to resend with the same ids.
 */
final class ForwardConnection {

  private final Socket socket;
  private final OutputStream out;
  private final ServerAddress server;
  private final boolean requireAck;
  private final long ackTimeoutNanos;
  private final long writeTimeoutNanos;
  private final LongSupplier nanoClock;
  private final DeliverySink sink;
  private final RequestFramer framer;
  private final Thread reader;

  private final ArrayDeque<Chunk> unacked = new ArrayDeque<>();
  private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
  private long unackedRecords;
  private volatile Throwable broken;
  private volatile long writeStartedNanos;

  ForwardConnection(Socket socket, ServerAddress server, boolean requireAck, long ackTimeoutNanos,
      long writeTimeoutNanos, LongSupplier nanoClock, DeliverySink sink, RequestFramer framer,
      String threadName) throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.server = server;
    this.requireAck = requireAck;
    this.ackTimeoutNanos = ackTimeoutNanos;
    this.writeTimeoutNanos = writeTimeoutNanos;
    this.nanoClock = nanoClock;
    this.sink = sink;
    this.framer = framer;
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

  synchronized int unackedChunks() {
    return unacked.size();
  }

  synchronized long unackedRecords() {
    return unackedRecords;
  }

  /**
   * Writes the request for {@code chunk}. With acks on the chunk waits in this connection for its
   * ack; with acks off it is delivered once written. On failure the connection is broken and the
   * chunk is among {@link #takeUnacked()}.
   */
  void send(Chunk chunk) throws IOException {
    if (requireAck) {
      synchronized (this) {
        unacked.addLast(chunk);
        sentAt.addLast(Long.MAX_VALUE);
        unackedRecords += chunk.records();
      }
    }
    Throwable b = broken;
    if (b != null) {
      throw new DeliveryException("connection to " + server + " is broken", b, true);
    }
    writeStartedNanos = nanoClock.getAsLong();
    try {
      framer.write(chunk, out);
      out.flush();
    } catch (IOException e) {
      Throwable cause = broken != null ? broken : e;
      fail(cause);
      throw new DeliveryException("write to " + server + " failed: " + cause.getMessage(), cause, true);
    } finally {
      writeStartedNanos = 0;
    }
    chunk.markWritten();
    if (requireAck) {
      synchronized (this) {
        // the ack may already have come; only stamp a chunk that is still waiting
        if (!sentAt.isEmpty() && unacked.peekLast() == chunk) {
          sentAt.pollLast();
          sentAt.addLast(nanoClock.getAsLong());
        }
      }
    } else {
      sink.delivered(chunk);
    }
  }

  /** Breaks the connection (idempotent): closes the socket so the writer and reader stop. */
  void fail(Throwable cause) {
    synchronized (this) {
      if (broken != null) {
        return;
      }
      broken = cause;
    }
    closeQuietly();
    sink.wake();
  }

  /** Once broken: the chunks that never got their ack, oldest first. */
  synchronized List<Chunk> takeUnacked() {
    List<Chunk> l = new ArrayList<>(unacked);
    unacked.clear();
    sentAt.clear();
    unackedRecords = 0;
    return l;
  }

  /** Closes the socket and waits (bounded) for the reader thread to end. */
  void close(long joinMillis) {
    fail(new DeliveryException("connection closed", true));
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
    AckReader acks = new AckReader();
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
          fail(new DeliveryException("server " + server + " closed the connection", true));
          return;
        }
        if (!requireAck) {
          continue;
        }
        acks.feed(buf, n);
        String id;
        while ((id = acks.next()) != null) {
          onAck(id);
        }
        checkDeadlines();
      }
    } catch (IOException | RuntimeException e) {
      fail(broken != null ? broken : e);
    }
  }

  private void onAck(String id) throws DeliveryException {
    Chunk acked;
    synchronized (this) {
      Chunk head = unacked.peekFirst();
      if (head == null || !id.equals(head.id())) {
        acked = null;
      } else {
        acked = unacked.pollFirst();
        sentAt.pollFirst();
        unackedRecords -= acked.records();
      }
    }
    if (acked == null) {
      throw new DeliveryException("ack " + id + " from " + server + " matches no chunk waiting", true);
    }
    sink.delivered(acked);
  }

  private void checkDeadlines() throws DeliveryException {
    long now = nanoClock.getAsLong();
    long ws = writeStartedNanos;
    if (ws != 0 && now - ws > writeTimeoutNanos) {
      throw new DeliveryException("write to " + server + " stalled for more than "
          + writeTimeoutNanos / 1_000_000 + " ms", true);
    }
    Long oldest;
    synchronized (this) {
      oldest = sentAt.peekFirst();
    }
    if (oldest != null && oldest != Long.MAX_VALUE && now - oldest > ackTimeoutNanos) {
      throw new DeliveryException("no ack from " + server + " within " + ackTimeoutNanos / 1_000_000 + " ms", true);
    }
  }
}
