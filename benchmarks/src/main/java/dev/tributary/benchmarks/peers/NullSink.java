package dev.tributary.benchmarks.peers;

import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * An in-process stream that discards what is written and counts lines: the "network" of the
 * plain-logging floor (logback's AsyncAppender over an OutputStreamAppender). Stalling blocks the
 * writer, like a disk or pipe that stopped draining.
 */
final class NullSink implements Sink {

  private final LongAdder lines = new LongAdder();
  private final Object gate = new Object();
  private volatile boolean stalled;
  private volatile boolean closed;

  private final OutputStream stream = new OutputStream() {
    @Override
    public void write(int b) {
      awaitOpen();
      if (b == '\n') {
        lines.increment();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      awaitOpen();
      int n = 0;
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          n++;
        }
      }
      if (n > 0) {
        lines.add(n);
      }
    }
  };

  private void awaitOpen() {
    if (!stalled) {
      return;
    }
    synchronized (gate) {
      while (stalled && !closed) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          // the writer is being stopped (AsyncAppender interrupts its worker): let it finish
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public int port() {
    return 0;
  }

  @Override
  public OutputStream stream() {
    return stream;
  }

  @Override
  public boolean isServer() {
    return false;
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
  }
}
