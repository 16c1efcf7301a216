package dev.tributary.testkit;

import java.io.IOException;

/**
 * Thrown by the scripted input stream when {@link ForwardServer#closeAfterBytes(long)} says the
 * connection must end; the connection closes abruptly and nothing is reported as an error.
 */
final class ConnectionCut extends IOException {
  private static final long serialVersionUID = 1L;

  ConnectionCut() {
    super("read budget of closeAfterBytes used up");
  }
}
