package dev.tributary;

/**
 * Thrown by {@code emit} under {@link OverflowPolicy#THROW} when the byte budget has no room. The
 * event was not accepted and is counted as dropped ({@link DropReason#BUFFER_FULL}).
 */
public final class BufferFullException extends TributaryException {
  private static final long serialVersionUID = 1L;

  public BufferFullException(String message) {
    super(message);
  }
}
