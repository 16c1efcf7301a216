package dev.tributary.logging;

/**
 * Where an adapter reports Tributary's own problems: the framework's status channel (logback
 * {@code addError}/{@code addWarn}, log4j2 {@code StatusLogger}, JUL {@code ErrorManager}), never
 * its appenders, so the reports cannot flow back into the adapter that made them.
 *
 * <p>Called from the flusher thread and from the logging threads; implementations must be thread
 * safe and must not throw.
 */
public interface Diagnostics {

  void warn(String message, Throwable cause);

  void error(String message, Throwable cause);
}
