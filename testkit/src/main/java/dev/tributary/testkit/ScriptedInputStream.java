package dev.tributary.testkit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A connection's socket input, filtered through the {@link Script}: reads wait while reading is
 * stalled, and a read budget set by {@code closeAfterBytes} cuts the connection once it is used.
 *
 * <p>A stall also holds back bytes that a read already took from the socket, so that a stall
 * switched on while the thread was blocked in a read still keeps those bytes from the decoder.
 *
 * <p>Not thread safe: used by the connection's thread only.
 */
final class ScriptedInputStream extends FilterInputStream {

  private long bytesRead;

  /** Bytes taken from the socket so far (some may still wait in the decoder's buffer). */
  long bytesRead() {
    return bytesRead;
  }

  private final Script script;
  private boolean cutPending;
  private Runnable beforeRead = () -> { };

  /**
   * Runs {@code hook} before every read from the socket, on the connection's thread: the server
   * sends the acks of the requests it has processed before it waits for more input.
   */
  void beforeRead(Runnable hook) {
    this.beforeRead = hook;
  }

  ScriptedInputStream(InputStream in, Script script) {
    super(in);
    this.script = script;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    beforeRead.run();
    script.awaitReadable();
    if (cutPending) {
      throw new ConnectionCut();
    }
    Script.Grant grant = script.admit(len);
    if (grant == Script.CUT) {
      throw new ConnectionCut();
    }
    int n = -1;
    try {
      n = in.read(b, off, grant.bytes());
    } finally {
      cutPending = script.settle(grant, Math.max(n, 0));
    }
    if (n > 0) {
      bytesRead += n;
      script.awaitReadable();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    // Skipping through read keeps the budget and the stall in force.
    byte[] sink = new byte[(int) Math.min(n, 8192)];
    int read = read(sink, 0, sink.length);
    return Math.max(read, 0);
  }
}
