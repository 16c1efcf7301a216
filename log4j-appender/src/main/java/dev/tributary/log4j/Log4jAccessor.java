package dev.tributary.log4j;

import dev.tributary.logging.LogEventAccessor;
import dev.tributary.logging.ProxyThrowable;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.ThrowableProxy;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.IndexedReadOnlyStringMap;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.util.StringBuilderFormattable;

/**
 * log4j2's event as the shared mapping reads it. Stateless. Standard levels keep their names
 * (FATAL included); a custom level is written as the standard level it falls in, with its own
 * name as the original level. A {@link MapMessage}'s entries are the event's key/values, types
 * kept; its {@code message} entry, when present, is the message.
 */
final class Log4jAccessor implements LogEventAccessor<LogEvent> {

  static final Log4jAccessor INSTANCE = new Log4jAccessor();
  static final String MESSAGE_KEY = "message";

  private Log4jAccessor() {}

  @Override
  public long epochSecond(LogEvent e) {
    return e.getInstant().getEpochSecond();
  }

  @Override
  public int nanos(LogEvent e) {
    return e.getInstant().getNanoOfSecond();
  }

  @Override
  public String level(LogEvent e) {
    Level level = e.getLevel();
    return level == null ? "INFO" : level.getStandardLevel().name();
  }

  @Override
  public String originalLevel(LogEvent e) {
    Level level = e.getLevel();
    if (level == null) {
      return null;
    }
    String name = level.name();
    return name.equals(level.getStandardLevel().name()) ? null : name;
  }

  @Override
  public String logger(LogEvent e) {
    return e.getLoggerName();
  }

  @Override
  public String thread(LogEvent e) {
    return e.getThreadName();
  }

  @Override
  public CharSequence message(LogEvent e, StringBuilder scratch) {
    Message m = e.getMessage();
    if (m == null) {
      return null;
    }
    if (m instanceof MapMessage && ((MapMessage<?, ?>) m).containsKey(MESSAGE_KEY)) {
      return ((MapMessage<?, ?>) m).get(MESSAGE_KEY);
    }
    if (m instanceof StringBuilderFormattable) {
      // garbage-free messages format into our buffer instead of a new String
      ((StringBuilderFormattable) m).formatTo(scratch);
      return scratch;
    }
    return m.getFormattedMessage();
  }

  @Override
  public Throwable throwable(LogEvent e) {
    Throwable t = e.getThrown();
    if (t != null) {
      return t;
    }
    ThrowableProxy proxy = e.getThrownProxy();
    return proxy == null ? null : rebuild(proxy, 0);
  }

  /** A deserialized event's exception, rebuilt from its description (depth bounded against cycles). */
  private static Throwable rebuild(ThrowableProxy p, int depth) {
    Throwable cause = p.getCauseProxy() != null && depth < 64 ? rebuild(p.getCauseProxy(), depth + 1) : null;
    ProxyThrowable t = new ProxyThrowable(p.getName(), p.getMessage(), p.getStackTrace(), cause);
    ThrowableProxy[] suppressed = p.getSuppressedProxies();
    if (suppressed != null && depth < 64) {
      for (ThrowableProxy s : suppressed) {
        t.addSuppressed(rebuild(s, depth + 1));
      }
    }
    return t;
  }

  @Override
  public void markers(LogEvent e, List<String> names) {
    Marker marker = e.getMarker();
    if (marker != null) {
      names.add(marker.getName());
    }
  }

  @Override
  public StackTraceElement caller(LogEvent e) {
    return e.getSource();
  }

  @Override
  public <S> void forEachKeyValue(LogEvent e, EntryConsumer<S> action, S state) {
    Message m = e.getMessage();
    if (!(m instanceof MapMessage)) {
      return;
    }
    IndexedReadOnlyStringMap data = ((MapMessage<?, ?>) m).getIndexedReadOnlyStringMap();
    boolean messageUsed = data.containsKey(MESSAGE_KEY);
    for (int i = 0; i < data.size(); i++) {
      String key = data.getKeyAt(i);
      if (!(messageUsed && MESSAGE_KEY.equals(key))) {
        action.accept(key, data.getValueAt(i), state);
      }
    }
  }

  @Override
  public <S> void forEachMdc(LogEvent e, EntryConsumer<S> action, S state) {
    ReadOnlyStringMap context = e.getContextData();
    if (context == null || context.isEmpty()) {
      return;
    }
    if (context instanceof IndexedReadOnlyStringMap) {
      IndexedReadOnlyStringMap indexed = (IndexedReadOnlyStringMap) context;
      for (int i = 0; i < indexed.size(); i++) {
        action.accept(indexed.getKeyAt(i), indexed.getValueAt(i), state);
      }
    } else {
      context.forEach((String k, Object v) -> action.accept(k, v, state));
    }
  }
}
