package dev.tributary.benchmarks.peers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The baseline a careful application could write by hand with msgpack-core and a socket: no
 * library, no buffer, no background thread. Every call runs on the caller's thread, under one lock
 * (one socket for all threads, as fluent-logger has):
 *
 * <ul>
 *   <li>acks off: the event is encoded with msgpack-core's {@link MessagePacker} into a reused
 *       buffer as one Message-mode request {@code [tag, time, record]} (time as EventTime) and
 *       written to the socket at once: one write per event;
 *   <li>acks on: waiting for an ack per event would cost a round trip each, which no careful
 *       client does, so events are encoded into a Forward-mode request {@code [tag, [[time,
 *       record], ...], {"chunk": id}]} of {@value #ACK_BATCH} events; the call that completes it
 *       writes it and blocks until the server's {@code {"ack": id}} arrives and matches. {@link
 *       #flush()} and {@link #close()} send a partial batch the same way.
 * </ul>
 *
 * <p>A failed write is counted in {@link #thrown()} (the event is lost, as the caller would see an
 * exception) and the next call connects again. There is nothing to drop: a server that stops
 * reading blocks the caller inside the socket write.
 */
final class MsgpackSyncSubject implements Subject {

  /** Events per request when acks are on. */
  static final int ACK_BATCH = 100;

  /** A byte buffer whose array can be written without a copy. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(64 * 1024);
    }

    void copyTo(OutputStream out) throws IOException {
      out.write(buf, 0, count);
    }
  }

  private final Map<String, Object> record = SuiteRecord.fields();
  private final LongAdder thrown = new LongAdder();
  private volatile String thrownType;
  private final Object lock = new Object();
  private final Buffer buffer = new Buffer();
  private final MessagePacker packer = MessagePack.newDefaultPacker(buffer);
  /** Entries of the open Forward-mode batch (acks on), encoded without their array header. */
  private final Buffer entries = new Buffer();
  private final MessagePacker entryPacker = MessagePack.newDefaultPacker(entries);
  private final byte[] time = new byte[8];
  private final String chunkPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
  private long chunkSeq;
  private int batched;
  private SubjectConfig config;
  private Socket socket;
  private OutputStream out;
  private MessageUnpacker acks;

  @Override
  public void start(SubjectConfig config) throws IOException {
    this.config = config;
    connect();
  }

  private void connect() throws IOException {
    socket = new Socket();
    // acks on: request and response, so no Nagle delay; acks off: the default, which lets the kernel
    // coalesce the small writes
    socket.setTcpNoDelay(config.requireAck());
    socket.connect(new InetSocketAddress(config.host(), config.port()), 5000);
    out = socket.getOutputStream();
    acks = MessagePack.newDefaultUnpacker(socket.getInputStream());
  }

  @Override
  public void emit() {
    synchronized (lock) {
      try {
        if (socket == null) {
          connect();
        }
        if (config.requireAck()) {
          packEntry(entryPacker);
          if (++batched == ACK_BATCH) {
            sendBatch();
          }
        } else {
          buffer.reset();
          packer.packArrayHeader(3);
          packer.packString(SuiteRecord.TAG);
          packTimeAndRecord(packer);
          packer.flush();
          buffer.copyTo(out);
        }
      } catch (IOException | RuntimeException e) {
        failed(e);
      }
    }
  }

  private void packEntry(MessagePacker p) throws IOException {
    p.packArrayHeader(2);
    packTimeAndRecord(p);
  }

  private void packTimeAndRecord(MessagePacker p) throws IOException {
    long ms = System.currentTimeMillis();
    long seconds = ms / 1000;
    int nanos = (int) (ms % 1000) * 1_000_000;
    time[0] = (byte) (seconds >>> 24);
    time[1] = (byte) (seconds >>> 16);
    time[2] = (byte) (seconds >>> 8);
    time[3] = (byte) seconds;
    time[4] = (byte) (nanos >>> 24);
    time[5] = (byte) (nanos >>> 16);
    time[6] = (byte) (nanos >>> 8);
    time[7] = (byte) nanos;
    p.packExtensionTypeHeader((byte) 0, 8);
    p.writePayload(time);
    p.packMapHeader(record.size());
    for (Map.Entry<String, Object> e : record.entrySet()) {
      p.packString(e.getKey());
      Object v = e.getValue();
      if (v instanceof String) {
        p.packString((String) v);
      } else {
        p.packLong(((Number) v).longValue());
      }
    }
  }

  /** Writes the open batch with a chunk id and blocks until its ack arrived. Holds the lock. */
  private void sendBatch() throws IOException {
    if (batched == 0) {
      return;
    }
    entryPacker.flush();
    String chunk = chunkPrefix + (chunkSeq++);
    buffer.reset();
    packer.packArrayHeader(3);
    packer.packString(SuiteRecord.TAG);
    packer.packArrayHeader(batched);
    packer.flush();
    buffer.copyTo(out);
    entries.copyTo(out);
    buffer.reset();
    packer.packMapHeader(1);
    packer.packString("chunk");
    packer.packString(chunk);
    packer.flush();
    buffer.copyTo(out);
    int n = acks.unpackMapHeader();
    String ack = null;
    for (int i = 0; i < n; i++) {
      String key = acks.unpackString();
      if (key.equals("ack")) {
        ack = acks.unpackString();
      } else {
        acks.skipValue();
      }
    }
    if (!chunk.equals(ack)) {
      throw new IOException("ack " + ack + " does not match chunk " + chunk);
    }
    entries.reset();
    batched = 0;
  }

  private void failed(Exception e) {
    // the events of a batch that failed are lost with it
    thrown.add(config.requireAck() ? Math.max(1, batched) : 1);
    if (thrownType == null) {
      thrownType = e.getClass().getName();
    }
    batched = 0;
    entries.reset();
    try {
      entryPacker.clear();
    } catch (RuntimeException ignored) {
      // nothing buffered to clear
    }
    closeSocket();
  }

  private void closeSocket() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken socket
      }
      socket = null;
    }
  }

  @Override
  public void flush() {
    synchronized (lock) {
      try {
        if (config.requireAck() && socket != null) {
          sendBatch();
        }
      } catch (IOException | RuntimeException e) {
        failed(e);
      }
    }
  }

  @Override
  public long dropped() {
    return 0; // it never drops: the caller blocks in the write instead
  }

  @Override
  public long thrown() {
    return thrown.sum();
  }

  @Override
  public String thrownType() {
    return thrownType;
  }

  @Override
  public void close() {
    flush();
    synchronized (lock) {
      closeSocket();
    }
  }
}
