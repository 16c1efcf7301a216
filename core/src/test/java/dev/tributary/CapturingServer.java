package dev.tributary;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * A loopback forward-protocol sink for core's tests (testkit's ForwardServer depends on core):
 * reads PackedForward requests without acks and keeps each entry's tag, time and record as
 * msgpack-core values, so a test sees the exact types on the wire. Closes its socket and thread.
 */
final class CapturingServer implements AutoCloseable {

  /** One event as it arrived. */
  record Entry(String tag, Value time, Value record) {}

  private final ServerSocket server;
  private final Thread reader;
  private final BlockingQueue<Entry> entries = new LinkedBlockingQueue<>();
  private final List<Socket> sockets = new ArrayList<>();

  CapturingServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    reader = new Thread(this::run, "capturing-server");
    reader.setDaemon(true);
    reader.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** A client for this server: acks off, no heartbeat, short flush interval. */
  Tributary.Builder client() {
    return Tributary.builder()
        .server("127.0.0.1", port())
        .requireAck(false)
        .heartbeatType(HeartbeatType.NONE)
        .flushInterval(Duration.ofMillis(20))
        .listener(new TributaryListener() {});
  }

  Entry next() throws InterruptedException {
    Entry e = entries.poll(30, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no event arrived within 30 s");
    }
    return e;
  }

  /** Whether no event is left after waiting {@code millis}: a bound on absence, not a sync. */
  boolean nothingMore(long millis) throws InterruptedException {
    return entries.poll(millis, TimeUnit.MILLISECONDS) == null;
  }

  private void run() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        synchronized (sockets) {
          sockets.add(s);
        }
        MessageUnpacker in = MessagePack.newDefaultUnpacker(new BufferedInputStream(s.getInputStream()));
        while (in.hasNext()) {
          int n = in.unpackArrayHeader();
          String tag = in.unpackString();
          byte[] packed = in.readPayload(in.unpackBinaryHeader());
          for (int i = 2; i < n; i++) {
            in.skipValue();
          }
          MessageUnpacker entryIn = MessagePack.newDefaultUnpacker(packed);
          while (entryIn.hasNext()) {
            entryIn.unpackArrayHeader();
            entries.add(new Entry(tag, entryIn.unpackValue(), entryIn.unpackValue()));
          }
        }
      } catch (IOException e) {
        // the client went away or the server closed: accept the next connection, or stop
      }
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
    synchronized (sockets) {
      for (Socket s : sockets) {
        s.close();
      }
    }
    reader.join(10_000);
  }
}
