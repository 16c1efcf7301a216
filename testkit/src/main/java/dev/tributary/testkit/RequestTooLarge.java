package dev.tributary.testkit;

import java.io.IOException;

/**
 * Thrown by the decoder when the request being read is known to be larger than {@link
 * ForwardServer#resetOnRequestOver(long)} allows; the connection is reset and nothing is reported
 * as an error.
 */
final class RequestTooLarge extends IOException {
  private static final long serialVersionUID = 1L;

  RequestTooLarge(long atLeastBytes, long limit) {
    super("a request of at least " + atLeastBytes + " bytes is over resetOnRequestOver " + limit);
  }
}
