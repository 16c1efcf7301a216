package dev.tributary.internal.codec;

/**
 * Thrown by the encoder when an event passes its byte limit. One shared instance without a stack
 * trace: it is control flow on the caller's thread, not a diagnostic.
 */
public final class EventTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final EventTooLargeException INSTANCE = new EventTooLargeException();

  private EventTooLargeException() {
    super("event larger than maxEventBytes", null, false, false);
  }
}
