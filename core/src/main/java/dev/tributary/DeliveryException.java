package dev.tributary;

import java.io.IOException;

/**
 * A failure to deliver to an aggregator, as reported to a {@link TributaryListener}. {@link
 * #retriable()} says whether Tributary will try the same chunk again.
 */
public class DeliveryException extends IOException {
  private static final long serialVersionUID = 1L;
  private final boolean retriable;

  public DeliveryException(String message, boolean retriable) {
    super(message);
    this.retriable = retriable;
  }

  public DeliveryException(String message, Throwable cause, boolean retriable) {
    super(message, cause);
    this.retriable = retriable;
  }

  public boolean retriable() {
    return retriable;
  }
}
