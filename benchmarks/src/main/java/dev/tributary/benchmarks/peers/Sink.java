package dev.tributary.benchmarks.peers;

import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The receiving end of one subject: counts the events that arrived, and can stop reading to play
 * an aggregator that accepts connections but never reads.
 *
 * <p>Thread safe. Owns its sockets and threads; {@link #close()} releases them.
 */
public interface Sink extends AutoCloseable {

  /** Opens the sink for {@code wire}; {@code receiveBufferSize} > 0 shrinks each connection's SO_RCVBUF. */
  static Sink open(Wire wire, int receiveBufferSize) {
    switch (wire) {
      case FORWARD:
        return ForwardSink.open(receiveBufferSize);
      case JSON_LINES:
        return LineCountServer.open(receiveBufferSize);
      case NULL_STREAM:
        return new NullSink();
      default:
        throw new IllegalArgumentException("unknown wire " + wire);
    }
  }

  /** The host subjects connect to. */
  default String host() {
    return "127.0.0.1";
  }

  /** The port subjects connect to; 0 for an in-process sink. */
  int port();

  /** The stream an in-process subject writes to; null for a network sink. */
  default OutputStream stream() {
    return null;
  }

  /**
   * Whether the sink is a server doing work on this machine's CPU (decoding, counting). The emit
   * benchmark stops such a sink from reading during a measurement so that its work is not charged
   * to the caller being measured; an in-process null stream costs nothing worth excluding.
   */
  boolean isServer();

  /** Events counted so far. */
  long received();

  /** Stops ({@code true}) or resumes reading; while stopped, writers block once buffers are full. */
  void stall(boolean stall);

  /**
   * Waits until {@code target} events arrived, the deadline passed, or nothing arrived for {@code
   * idle}; returns the count then. Never throws on timeout: a library that lost events is
   * credited with what arrived.
   */
  default long awaitReceived(long target, Duration timeout, Duration idle) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = received();
    long lastChange = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      long n = received();
      if (n >= target || now - deadline >= 0) {
        return n;
      }
      if (n != last) {
        last = n;
        lastChange = now;
      } else if (now - lastChange >= idle.toNanos()) {
        return n;
      }
      LockSupport.parkNanos(200_000L);
    }
  }

  @Override
  void close();
}
