package dev.tributary.jul;

import dev.tributary.logging.LogEventAccessor;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * A JUL {@link LogRecord} as the shared mapping reads it. Stateless.
 *
 * <p>Levels are mapped by value to the names logback and log4j2 use, so one query finds the same
 * severity from all three: SEVERE (1000+) → ERROR, WARNING (900) → WARN, INFO (800) → INFO,
 * CONFIG and FINE (500–799) → DEBUG, FINER and FINEST (below 500) → TRACE; the JUL name is kept as
 * the original level. Messages are localized and their parameters formatted as JUL's own
 * formatters do ({@link Formatter#formatMessage}).
 */
final class JulAccessor implements LogEventAccessor<LogRecord> {

  static final JulAccessor INSTANCE = new JulAccessor();

  /** formatMessage keeps no state, so one instance serves every thread. */
  private static final Formatter MESSAGES = new SimpleFormatter();

  private JulAccessor() {}

  @Override
  public long epochSecond(LogRecord r) {
    return r.getInstant().getEpochSecond();
  }

  @Override
  public int nanos(LogRecord r) {
    return r.getInstant().getNano();
  }

  @Override
  public String level(LogRecord r) {
    return shared(r.getLevel());
  }

  static String shared(Level level) {
    int v = level == null ? Level.INFO.intValue() : level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    } else if (v >= Level.WARNING.intValue()) {
      return "WARN";
    } else if (v >= Level.INFO.intValue()) {
      return "INFO";
    } else if (v >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  @Override
  public String originalLevel(LogRecord r) {
    Level level = r.getLevel();
    if (level == null) {
      return null;
    }
    String name = level.getName();
    return name.equals(shared(level)) ? null : name;
  }

  @Override
  public String logger(LogRecord r) {
    String name = r.getLoggerName();
    return name == null ? "" : name;
  }

  /** JUL records only the thread's id; on the logging thread (the usual case) its name is known. */
  @Override
  public String thread(LogRecord r) {
    Thread current = Thread.currentThread();
    long id = r.getLongThreadID();
    return id == current.getId() ? current.getName() : "thread-" + id;
  }

  @Override
  public CharSequence message(LogRecord r, StringBuilder scratch) {
    Object[] params = r.getParameters();
    if ((params == null || params.length == 0) && r.getResourceBundle() == null) {
      return r.getMessage();
    }
    return MESSAGES.formatMessage(r);
  }

  @Override
  public Throwable throwable(LogRecord r) {
    return r.getThrown();
  }

  /** JUL infers class and method (not file and line) from the stack when first asked. */
  @Override
  public StackTraceElement caller(LogRecord r) {
    String cls = r.getSourceClassName();
    String method = r.getSourceMethodName();
    if (cls == null) {
      return null;
    }
    return new StackTraceElement(cls, method == null ? "" : method, null, -1);
  }
}
