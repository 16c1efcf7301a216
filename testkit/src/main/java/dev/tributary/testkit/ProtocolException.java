package dev.tributary.testkit;

import java.io.IOException;

/** A request that is valid msgpack but breaks the forward protocol; it ends the connection. */
final class ProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  ProtocolException(String message) {
    super(message);
  }
}
