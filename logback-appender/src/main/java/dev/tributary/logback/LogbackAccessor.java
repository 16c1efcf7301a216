package dev.tributary.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.tributary.logging.AsciiText;
import dev.tributary.logging.LogEventAccessor;
import dev.tributary.logging.ProxyThrowable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/** Logback's event as the shared mapping reads it. Stateless; levels are logback's names as they are. */
final class LogbackAccessor implements LogEventAccessor<ILoggingEvent> {

  static final LogbackAccessor INSTANCE = new LogbackAccessor();

  private LogbackAccessor() {}

  @Override
  public long epochSecond(ILoggingEvent e) {
    return e.getInstant().getEpochSecond();
  }

  @Override
  public int nanos(ILoggingEvent e) {
    return e.getInstant().getNano();
  }

  @Override
  public String level(ILoggingEvent e) {
    return e.getLevel().levelStr;
  }

  @Override
  public String logger(ILoggingEvent e) {
    return e.getLoggerName();
  }

  @Override
  public String thread(ILoggingEvent e) {
    return e.getThreadName();
  }

  @Override
  public CharSequence message(ILoggingEvent e, StringBuilder scratch) {
    return message(e, scratch, Integer.MAX_VALUE);
  }

  @Override
  public CharSequence message(ILoggingEvent e, AsciiText text, StringBuilder scratch, int maxLength) {
    Object[] args = e.getArgumentArray();
    String pattern = e.getMessage();
    if (args == null || args.length == 0 || pattern == null || !(e instanceof LoggingEvent)) {
      return message(e, scratch, maxLength);
    }
    return Slf4jMessageFormat.format(pattern, args, text, scratch, maxLength);
  }

  @Override
  public CharSequence message(ILoggingEvent e, StringBuilder scratch, int maxLength) {
    Object[] args = e.getArgumentArray();
    String pattern = e.getMessage();
    if (args == null || args.length == 0 || pattern == null) {
      return pattern;
    }
    if (!(e instanceof LoggingEvent)) {
      // a deserialized event carries its formatted message and only stringified arguments
      return e.getFormattedMessage();
    }
    Slf4jMessageFormat.format(pattern, args, scratch, maxLength);
    return scratch;
  }

  @Override
  public Throwable throwable(ILoggingEvent e) {
    IThrowableProxy p = e.getThrowableProxy();
    if (p == null) {
      return null;
    }
    if (p instanceof ThrowableProxy) {
      return ((ThrowableProxy) p).getThrowable();
    }
    return rebuild(p, 0);
  }

  /** A remote event's exception, rebuilt from its description (depth bounded against cycles). */
  private static Throwable rebuild(IThrowableProxy p, int depth) {
    StackTraceElementProxy[] steps = p.getStackTraceElementProxyArray();
    StackTraceElement[] frames = new StackTraceElement[steps == null ? 0 : steps.length];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = steps[i].getStackTraceElement();
    }
    Throwable cause = p.getCause() != null && depth < 64 && !p.isCyclic() ? rebuild(p.getCause(), depth + 1) : null;
    ProxyThrowable t = new ProxyThrowable(p.getClassName(), p.getMessage(), frames, cause);
    IThrowableProxy[] suppressed = p.getSuppressed();
    if (suppressed != null && depth < 64) {
      for (IThrowableProxy s : suppressed) {
        t.addSuppressed(rebuild(s, depth + 1));
      }
    }
    return t;
  }

  @Override
  public void markers(ILoggingEvent e, List<String> names) {
    List<Marker> markers = e.getMarkerList();
    if (markers != null) {
      for (int i = 0; i < markers.size(); i++) {
        names.add(markers.get(i).getName());
      }
    }
  }

  @Override
  public StackTraceElement caller(ILoggingEvent e) {
    StackTraceElement[] callerData = e.getCallerData();
    return callerData != null && callerData.length > 0 ? callerData[0] : null;
  }

  @Override
  public <S> void forEachKeyValue(ILoggingEvent e, EntryConsumer<S> action, S state) {
    List<KeyValuePair> pairs = e.getKeyValuePairs();
    if (pairs != null) {
      for (int i = 0; i < pairs.size(); i++) {
        KeyValuePair kv = pairs.get(i);
        action.accept(kv.key, kv.value, state);
      }
    }
  }

  @Override
  public <S> void forEachMdc(ILoggingEvent e, EntryConsumer<S> action, S state) {
    Map<String, String> mdc = e.getMDCPropertyMap();
    if (mdc == null || mdc.isEmpty()) {
      return;
    }
    for (Iterator<Map.Entry<String, String>> it = mdc.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, String> entry = it.next();
      action.accept(entry.getKey(), entry.getValue(), state);
    }
  }
}
