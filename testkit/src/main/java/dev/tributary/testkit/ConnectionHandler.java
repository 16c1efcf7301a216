package dev.tributary.testkit;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Serves one accepted connection on its own daemon thread: setup, then read requests, apply the
 * size limits and the scripted fault, store, ack; until the peer leaves, the protocol breaks, the
 * server closes it, or keepalive is denied.
 *
 * <p>Thread safe where it must be: {@link #abort()} and {@link #join(long)} are called by the
 * server's threads, everything else runs on the connection's thread. Owns its socket and thread.
 */
final class ConnectionHandler implements Runnable {
  /** Large reads keep a benchmark client's throughput from being limited by the server. */
  private static final int READ_BUFFER_BYTES = 256 * 1024;

  private final int id;
  private final Socket socket;
  private final ForwardServerConfig config;
  private final Journal journal;
  private final Script script;
  private final AckScheduler ackScheduler;
  private final Consumer<ConnectionHandler> onExit;
  private final Thread thread;
  private volatile boolean aborted;
  /** The connection's acks once set up; the connection thread's alone. */
  private AckWriter acks;
  private boolean denyingKeepalive;

  ConnectionHandler(int id, Socket socket, int port, ForwardServerConfig config, Journal journal,
      Script script, AckScheduler ackScheduler, Consumer<ConnectionHandler> onExit) {
    this.id = id;
    this.socket = socket;
    this.config = config;
    this.journal = journal;
    this.script = script;
    this.ackScheduler = ackScheduler;
    this.onExit = onExit;
    this.thread = new Thread(this, "forward-server-" + port + "-conn-" + id);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void run() {
    try {
      serve();
    } catch (ConnectionCut e) {
      abort();
    } catch (ConnectionRefused e) {
      if (e.reset()) {
        abort();
      }
    } catch (RequestTooLarge e) {
      journal.oversizeReset();
      abort();
    } catch (IOException | RuntimeException e) {
      if (!aborted) {
        journal.protocolError("connection " + id + ": " + e);
        abort();
      }
    } finally {
      closeQuietly();
      journal.connectionClosed();
      onExit.accept(this);
    }
  }

  private void serve() throws IOException {
    socket.setTcpNoDelay(true);
    if (socket instanceof SSLSocket) {
      negotiateTls((SSLSocket) socket);
    }
    ScriptedInputStream in = new ScriptedInputStream(socket.getInputStream(), script);
    MessageUnpacker unpacker = new MessagePack.UnpackerConfig()
        .withBufferSize(READ_BUFFER_BYTES)
        .newUnpacker(in);
    AckWriter acks = new AckWriter(
        socket.getOutputStream(), script, journal, ackScheduler, this::abort);
    in.beforeRead(acks::flushWritten);
    this.acks = acks;
    config.connectionSetup().run(new ConnectionSetup.Connection(id, socket, unpacker,
        acks.packer(), in::bytesRead, !script.denyKeepalive(), journal));
    RequestDecoder decoder = new RequestDecoder(unpacker, config.countOnly(), why ->
        journal.ignoredRoot("connection " + id + ": " + why), script::resetOnRequestOver);
    for (DecodedRequest request; !aborted && (request = decoder.next()) != null; ) {
      if (!handle(request, acks)) {
        if (denyingKeepalive) {
          storePipelined(in, unpacker, decoder);
          abort();
        }
        return;
      }
    }
  }

  /**
   * Runs the TLS handshake here, on the connection's thread, rather than on the first read, so a
   * failure is recorded as one and never reaches the accept thread.
   */
  private void negotiateTls(SSLSocket ssl) throws IOException {
    try {
      journal.tlsSession(ServerTls.handshake(id, ssl));
    } catch (IOException e) {
      if (aborted) {
        throw e;
      }
      journal.tlsFailure("connection " + id + ": TLS handshake failed: " + e);
      throw new ConnectionRefused("TLS handshake failed", false);
    }
  }

  /**
   * Under {@code denyKeepalive}, as Fluentd does with what one read brought in: the requests the
   * client pipelined behind the first, already received, are stored but never acked.
   */
  private void storePipelined(ScriptedInputStream in, MessageUnpacker unpacker, RequestDecoder decoder) {
    try {
      socket.setSoTimeout(200); // a request only partly received is not waited for
      while (in.bytesRead() > unpacker.getTotalReadBytes()) {
        DecodedRequest request = decoder.next();
        if (request == null) {
          return;
        }
        if (config.countOnly()) {
          journal.counted(toReceived(request, null));
        } else {
          journal.store(toReceived(request, null), toEvents(request));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the connection is reset next either way
    }
  }

  /** Stores and acks one request as the script says; returns false when the connection ends. */
  private boolean handle(DecodedRequest request, AckWriter acks) {
    if (request.sizeInBytes() > script.dropRequestsOver()) {
      journal.droppedOversize(toDropped(request));
      return true;
    }
    Fault fault = script.nextFault();
    if (fault == Fault.DROP_AND_CLOSE) {
      journal.dropped(toReceived(request, fault));
      abort();
      return false;
    }
    if (config.countOnly()) {
      journal.counted(toReceived(request, fault));
    } else {
      journal.store(toReceived(request, fault), toEvents(request));
    }
    if (fault == Fault.CLOSE_BEFORE_ACK) {
      abort();
      return false;
    }
    Value chunk = request.chunk();
    Value ack = null;
    if (chunk != null && fault != Fault.NO_ACK) {
      ack = fault == Fault.WRONG_ACK ? otherChunk(chunk) : chunk;
    }
    if (script.denyKeepalive()) {
      acks.ackBeforeClose(ack);
      denyingKeepalive = true;
      return false;
    }
    if (ack != null) {
      acks.ack(ack);
    }
    return true;
  }

  private ReceivedRequest toReceived(DecodedRequest r, Fault fault) {
    return new ReceivedRequest(r.mode(), r.tag(), r.eventCount(), r.options(), r.chunkId(),
        r.compressed(), r.sizeInBytes(), id, fault);
  }

  private ReceivedRequest toDropped(DecodedRequest r) {
    return new ReceivedRequest(r.mode(), r.tag(), r.eventCount(), r.options(), r.chunkId(),
        r.compressed(), r.sizeInBytes(), id, null, true);
  }

  private List<ReceivedEvent> toEvents(DecodedRequest r) {
    String chunkId = r.chunkId();
    List<ReceivedEvent> events = new ArrayList<>(r.entries().size());
    for (DecodedRequest.Entry e : r.entries()) {
      events.add(new ReceivedEvent(r.tag(), e.time(), e.timeType(), e.record(),
          r.mode(), chunkId, id));
    }
    return events;
  }

  private static Value otherChunk(Value chunk) {
    String original = chunk.isStringValue() ? chunk.asStringValue().asString() : chunk.toJson();
    return ValueFactory.newString("not-" + original);
  }

  /**
   * Closes the connection with a TCP reset, as a real Fluentd does, and wakes the thread if it
   * waits on a stalled read. Idempotent; callable from any thread.
   */
  void abort() {
    if (Thread.currentThread() == thread && acks != null && !aborted) {
      // the acks of requests processed before the fault still go out, ahead of the reset
      acks.flushWritten();
    }
    aborted = true;
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // Already closed: nothing left to reset.
    }
    closeQuietly();
    if (Thread.currentThread() != thread) {
      thread.interrupt();
    }
  }

  /** Waits up to {@code millis} for the thread to end; returns whether it did. */
  boolean join(long millis) throws InterruptedException {
    thread.join(Math.max(1, millis));
    return !thread.isAlive();
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best effort: the peer may have reset the connection already.
    }
  }
}
