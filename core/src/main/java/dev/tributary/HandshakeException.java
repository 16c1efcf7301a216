package dev.tributary;

/**
 * A server refused the shared-key handshake of Fluentd's {@code <security>} (wrong shared key,
 * wrong user or password), or could not prove that it knows the key. No event is written on such
 * a connection; the chunks wait and the connection is retried with backoff, so fixing the key on
 * either side resumes delivery. The message says why and never contains a secret.
 */
public class HandshakeException extends DeliveryException {
  private static final long serialVersionUID = 1L;

  public HandshakeException(String message) {
    super(message, true);
  }
}
