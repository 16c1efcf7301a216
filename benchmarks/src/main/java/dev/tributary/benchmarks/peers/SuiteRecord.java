package dev.tributary.benchmarks.peers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one record every subject sends, so that every library is measured on the same event: six
 * fields, as a log line maps to them (the same values as {@code Records.sixFields()} of the
 * single-library benchmarks).
 *
 * <p>API subjects send {@link #fields()} as a map. Logging subjects make the call an application
 * makes, {@code logger.info(PATTERN, ARGUMENT)}, which formats to {@link #MESSAGE}; level, logger
 * and thread come from the logging framework (the thread named as {@link #THREAD} is), and each appender adds its own fields (timestamp,
 * level value, ...) the way it always does.
 *
 * <p>Constants only; thread safe.
 */
public final class SuiteRecord {

  /** 99 characters. */
  public static final String MESSAGE =
      "Order 4711 accepted for customer 0815: 3 items, total 99.95 EUR, shipping to warehouse B (priority)";

  /** What logging subjects pass to {@code logger.info}: formats to {@link #MESSAGE}. */
  public static final String PATTERN =
      "Order {} accepted for customer 0815: 3 items, total 99.95 EUR, shipping to warehouse B (priority)";

  /** The argument of {@link #PATTERN}; boxed once so that boxing is not part of the call. */
  public static final Integer ARGUMENT = 4711;

  /** The logger name of logging subjects, and the {@code logger} field of API subjects. */
  public static final String LOGGER = "com.example.shop.OrderService";

  /** The tag every subject sends to ({@code app} prefix + {@code orders} for fluent-logger). */
  public static final String TAG = "app.orders";

  /**
   * The {@code thread} field of API subjects, and the name of every thread that makes the calls:
   * logging subjects take the thread name from the thread, so each measure names its calling
   * threads as an application server names its request threads ({@link #requestThreadName}),
   * whether JMH's worker (whose own name is over 70 characters) or a runner's thread makes them.
   */
  public static final String THREAD = requestThreadName(1);

  /** The name of calling thread {@code n} (from 1): {@code http-nio-8080-exec-<n>}. */
  public static String requestThreadName(int n) {
    return "http-nio-8080-exec-" + n;
  }

  /** Names the current thread {@link #requestThreadName(int) calling thread n}; returns its name before. */
  public static String nameCurrentThread(int n) {
    Thread t = Thread.currentThread();
    String before = t.getName();
    t.setName(requestThreadName(n));
    return before;
  }

  private SuiteRecord() {}

  /**
   * A new map of the six fields, in a fixed order. A plain {@link LinkedHashMap}, as an application
   * builds one: an unmodifiable wrapper would allocate an entry wrapper per field on every
   * iteration and charge that to whichever library iterates. Subjects take one at construction and
   * only read it (concurrent reads of a map nobody writes are safe).
   */
  public static Map<String, Object> fields() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("message", MESSAGE);
    r.put("level", "INFO");
    r.put("logger", LOGGER);
    r.put("thread", THREAD);
    r.put("count", 42);
    r.put("duration_ns", 1_234_567_890_123L);
    return r;
  }
}
