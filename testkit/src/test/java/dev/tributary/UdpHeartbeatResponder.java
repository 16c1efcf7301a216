package dev.tributary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The UDP side of Fluentd's {@code in_forward} for tests: on 127.0.0.1 at a given port, answers
 * each datagram with the byte {@code 0x00}, as Fluentd answers heartbeats; {@link #silent} stops
 * the answers, as a host that went dark would. One daemon thread, {@code
 * tributary-testkit-udp-<port>}; {@link #close()} ends it and the socket.
 */
final class UdpHeartbeatResponder implements AutoCloseable {

  private final DatagramSocket socket;
  private final Thread thread;
  private final AtomicInteger answered = new AtomicInteger();
  private volatile boolean silent;

  private UdpHeartbeatResponder(int port) {
    try {
      this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot bind UDP 127.0.0.1:" + port, e);
    }
    this.thread = new Thread(this::answer, "tributary-testkit-udp-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  /** Answers heartbeats on UDP {@code port} (the TCP port of a server or proxy). */
  static UdpHeartbeatResponder start(int port) {
    return new UdpHeartbeatResponder(port);
  }

  /** With {@code true}, heartbeats are read and not answered. */
  void silent(boolean silent) {
    this.silent = silent;
  }

  /** Heartbeats answered so far. */
  int answered() {
    return answered.get();
  }

  private void answer() {
    byte[] buf = new byte[64];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        if (!silent) {
          socket.send(new DatagramPacket(new byte[1], 1, p.getSocketAddress()));
          answered.incrementAndGet();
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
