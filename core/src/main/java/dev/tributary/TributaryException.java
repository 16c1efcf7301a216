package dev.tributary;

/** Base of the exceptions Tributary throws to its callers. */
public class TributaryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TributaryException(String message) {
    super(message);
  }

  public TributaryException(String message, Throwable cause) {
    super(message, cause);
  }
}
