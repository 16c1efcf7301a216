package dev.tributary.logging;

import java.util.List;

/**
 * A logging framework's event seen through the questions the record mapping asks. Each adapter
 * implements it once for its event type; {@link LogEventMapping} decides field names and order,
 * so all adapters produce the same record.
 *
 * <p>Implementations are stateless singletons, called on the thread that logs, while the event is
 * valid (log4j2 may reuse its events afterwards). They must not allocate on the common path: no
 * copies of maps or lists, no formatted strings when the framework already holds one.
 *
 * <pre>{@code
 * final class MyAccessor implements LogEventAccessor<MyEvent> {
 *   public String level(MyEvent e) { return e.level().name(); }
 *   ...
 * }
 * }</pre>
 *
 * @param <E> the framework's event type
 */
public interface LogEventAccessor<E> {

  /** Receives one key/value entry; {@code state} is passed through so no lambda needs to capture. */
  @FunctionalInterface
  interface EntryConsumer<S> {
    void accept(String key, Object value, S state);
  }

  /** Seconds since the epoch of the framework's own timestamp. */
  long epochSecond(E event);

  /** Nanoseconds within that second, with the precision the framework recorded. */
  int nanos(E event);

  /** The level in the shared vocabulary: TRACE, DEBUG, INFO, WARN, ERROR (log4j2 adds FATAL). */
  String level(E event);

  /**
   * The framework's own name for the level, or {@code null} when it is the same as {@link
   * #level}; written as the original-level field (JUL's {@code SEVERE}, a log4j2 custom level).
   */
  default String originalLevel(E event) {
    return null;
  }

  String logger(E event);

  String thread(E event);

  /**
   * The formatted message: the framework's string when it holds one, otherwise formatted into
   * {@code scratch} (cleared, owned by the calling thread) and returned.
   */
  CharSequence message(E event, StringBuilder scratch);

  /**
   * {@link #message(Object, StringBuilder)}, for an event that is dropped as too large when its
   * message is longer than {@code maxLength} characters: an accessor that formats into {@code
   * scratch} may stop once it holds more than {@code maxLength}, so that a huge argument costs no
   * more than that. The default formats the whole message.
   */
  default CharSequence message(E event, StringBuilder scratch, int maxLength) {
    return message(event, scratch);
  }

  /**
   * {@link #message(Object, StringBuilder, int)}, with an ASCII builder to format into as well:
   * an accessor that formats the framework's pattern itself may write an ASCII message into {@code
   * text} (cleared, owned by the calling thread), which is encoded by one copy, and fall back to
   * {@code scratch} when a part of the message is not ASCII. The default formats into {@code
   * scratch}.
   */
  default CharSequence message(E event, AsciiText text, StringBuilder scratch, int maxLength) {
    return message(event, scratch, maxLength);
  }

  /** The event's exception, or {@code null}. */
  Throwable throwable(E event);

  /** Adds the names of the event's markers to {@code names} (empty, owned by the calling thread). */
  default void markers(E event, List<String> names) {}

  /** Where the log call was made, or {@code null} when the framework cannot tell. */
  default StackTraceElement caller(E event) {
    return null;
  }

  /** Calls {@code action} for each typed key/value pair (SLF4J 2 key-values, log4j2 MapMessage entries). */
  default <S> void forEachKeyValue(E event, EntryConsumer<S> action, S state) {}

  /** Calls {@code action} for each MDC / ThreadContext entry. */
  default <S> void forEachMdc(E event, EntryConsumer<S> action, S state) {}
}
