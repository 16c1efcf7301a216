package dev.tributary.benchmarks.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP server on 127.0.0.1 that counts newline-terminated lines: the receiving end for
 * logstash-logback-encoder's TCP appender, which writes one JSON document per line (not the
 * forward protocol, so the testkit server cannot count it). It parses nothing; a newline byte is
 * an event, which holds for JSON lines because JSON escapes newlines inside strings.
 *
 * <p>Thread safe. One daemon thread accepts, one per connection reads; {@link #close()} closes
 * every socket, which ends them.
 */
final class LineCountServer implements Sink {

  private final ServerSocket listener;
  private final int receiveBufferSize;
  private final LongAdder lines = new LongAdder();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile boolean stalled;
  private volatile boolean closed;

  private LineCountServer(ServerSocket listener, int receiveBufferSize) {
    this.listener = listener;
    this.receiveBufferSize = receiveBufferSize;
  }

  static LineCountServer open(int receiveBufferSize) {
    try {
      ServerSocket ss = new ServerSocket();
      if (receiveBufferSize > 0) {
        // set before bind: accepted sockets inherit it, and the window is agreed at connect
        ss.setReceiveBufferSize(receiveBufferSize);
      }
      ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      LineCountServer server = new LineCountServer(ss, receiveBufferSize);
      Thread t = new Thread(server::acceptLoop, "line-count-server-" + ss.getLocalPort() + "-accept");
      t.setDaemon(true);
      t.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on loopback", e);
    }
  }

  private void acceptLoop() {
    int n = 0;
    while (!closed) {
      try {
        Socket s = listener.accept();
        if (receiveBufferSize > 0) {
          s.setReceiveBufferSize(receiveBufferSize);
        }
        connections.add(s);
        Thread t = new Thread(() -> readLoop(s), "line-count-server-" + listener.getLocalPort() + "-conn-" + (++n));
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void readLoop(Socket s) {
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = s.getInputStream()) {
      while (true) {
        awaitNotStalled();
        if (closed) {
          return;
        }
        int r = in.read(buf);
        if (r < 0) {
          return;
        }
        int count = 0;
        for (int i = 0; i < r; i++) {
          if (buf[i] == '\n') {
            count++;
          }
        }
        if (count > 0) {
          lines.add(count);
        }
      }
    } catch (IOException e) {
      // the peer reset or we closed: the count so far stands
    } finally {
      connections.remove(s);
    }
  }

  private void awaitNotStalled() {
    if (!stalled) {
      return;
    }
    synchronized (gate) {
      while (stalled && !closed) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public int port() {
    return listener.getLocalPort();
  }

  @Override
  public boolean isServer() {
    return true;
  }

  @Override
  public long received() {
    return lines.sum();
  }

  @Override
  public void stall(boolean stall) {
    synchronized (gate) {
      stalled = stall;
      gate.notifyAll();
    }
  }

  @Override
  public void close() {
    synchronized (gate) {
      closed = true;
      gate.notifyAll();
    }
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public String toString() {
    return "LineCountServer{127.0.0.1:" + port() + ", lines=" + received() + "}";
  }
}
