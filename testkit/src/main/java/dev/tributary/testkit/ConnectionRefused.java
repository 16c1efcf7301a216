package dev.tributary.testkit;

import java.io.IOException;

/**
 * Thrown while setting a connection up (TLS or the shared-key handshake) when the server ends it
 * on purpose, after recording why; nothing more is reported as an error.
 */
final class ConnectionRefused extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean reset;

  /**
   * @param reset true to end with a TCP reset (as Fluentd does), false with an orderly close (as
   *     Fluent Bit does)
   */
  ConnectionRefused(String why, boolean reset) {
    super(why);
    this.reset = reset;
  }

  boolean reset() {
    return reset;
  }
}
