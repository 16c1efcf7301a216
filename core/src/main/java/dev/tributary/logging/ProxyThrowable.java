package dev.tributary.logging;

/**
 * A throwable known only by its description: class name, message, frames, cause and suppressed
 * exceptions. Adapters use it for events whose exception crossed a process boundary (logback's
 * {@code ThrowableProxyVO}, log4j2's {@code ThrowableProxy} without the original), so those reach
 * the record mapping like any other exception, under their original class name.
 *
 * <p>Immutable after construction; never thrown.
 *
 * <pre>{@code
 * Throwable t = new ProxyThrowable("java.io.IOException", "broken pipe", frames, null);
 * }</pre>
 */
public final class ProxyThrowable extends Throwable {

  private static final long serialVersionUID = 1L;

  private final String className;

  /**
   * @param className the original exception's class name
   * @param message its message, or {@code null}
   * @param frames its stack trace
   * @param cause its cause, or {@code null}
   */
  public ProxyThrowable(String className, String message, StackTraceElement[] frames, Throwable cause) {
    super(message, cause, true, true);
    this.className = className == null ? "unknown" : className;
    if (frames != null) {
      setStackTrace(frames);
    }
  }

  /** The original exception's class name. */
  public String className() {
    return className;
  }

  /** Not captured: the frames are the original's, set in the constructor. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  /** As {@link Throwable#toString()} would print the original. */
  @Override
  public String toString() {
    String m = getLocalizedMessage();
    return m != null ? className + ": " + m : className;
  }
}
