package dev.tributary.logging;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Renders a throwable as one string in the JDK's {@link Throwable#printStackTrace()} layout,
 * causes ({@code Caused by: }), suppressed exceptions ({@code Suppressed: }), common frames
 * ({@code ... n more}) and cycles included, with {@code \n} line ends on every platform. The whole
 * trace is one record value, so nothing downstream has to reassemble multiline stack traces.
 *
 * <p>Stateless and thread safe.
 *
 * <pre>{@code
 * String trace = StackTraces.format(e, 0, 65_536); // all frames, at most 64 K characters
 * }</pre>
 */
public final class StackTraces {

  static final String TRUNCATED = "\n\t... [stack trace truncated]";

  private StackTraces() {}

  /** The class name {@code t} reports: the original's for a {@link ProxyThrowable}. */
  public static String className(Throwable t) {
    return t instanceof ProxyThrowable ? ((ProxyThrowable) t).className() : t.getClass().getName();
  }

  /**
   * @param maxDepth most frames printed per throwable (the rest are counted in a {@code ... n
   *     frames truncated} line); 0 for all
   * @param maxLength most characters in the result, the truncation note included; 0 for no limit
   */
  public static String format(Throwable t, int maxDepth, int maxLength) {
    StringBuilder sb = new StringBuilder(1024);
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.add(t);
    sb.append(describe(t));
    StackTraceElement[] trace = t.getStackTrace();
    frames(sb, trace, trace.length, "", maxDepth);
    for (Throwable s : t.getSuppressed()) {
      enclosed(sb, s, trace, "Suppressed: ", "\t", seen, maxDepth);
    }
    if (t.getCause() != null) {
      enclosed(sb, t.getCause(), trace, "Caused by: ", "", seen, maxDepth);
    }
    if (maxLength > 0 && sb.length() > maxLength) {
      sb.setLength(Math.max(0, maxLength - TRUNCATED.length()));
      sb.append(TRUNCATED);
      if (sb.length() > maxLength) {
        sb.setLength(maxLength);
      }
    }
    return sb.toString();
  }

  private static void enclosed(StringBuilder sb, Throwable t, StackTraceElement[] enclosing,
      String caption, String prefix, Set<Throwable> seen, int maxDepth) {
    if (!seen.add(t)) {
      sb.append('\n').append(prefix).append(caption).append("[CIRCULAR REFERENCE: ").append(describe(t)).append(']');
      return;
    }
    StackTraceElement[] trace = t.getStackTrace();
    int m = trace.length - 1;
    int n = enclosing.length - 1;
    while (m >= 0 && n >= 0 && trace[m].equals(enclosing[n])) {
      m--;
      n--;
    }
    int inCommon = trace.length - 1 - m;
    sb.append('\n').append(prefix).append(caption).append(describe(t));
    frames(sb, trace, m + 1, prefix, maxDepth);
    if (inCommon != 0) {
      sb.append('\n').append(prefix).append("\t... ").append(inCommon).append(" more");
    }
    for (Throwable s : t.getSuppressed()) {
      enclosed(sb, s, trace, "Suppressed: ", prefix + "\t", seen, maxDepth);
    }
    if (t.getCause() != null) {
      enclosed(sb, t.getCause(), trace, "Caused by: ", prefix, seen, maxDepth);
    }
  }

  private static void frames(StringBuilder sb, StackTraceElement[] trace, int count, String prefix, int maxDepth) {
    int shown = maxDepth > 0 ? Math.min(count, maxDepth) : count;
    for (int i = 0; i < shown; i++) {
      sb.append('\n').append(prefix).append("\tat ").append(trace[i]);
    }
    if (shown < count) {
      sb.append('\n').append(prefix).append("\t... ").append(count - shown).append(" frames truncated");
    }
  }

  /** {@code toString()}, guarded: a throwable whose toString fails still yields a trace. */
  private static String describe(Throwable t) {
    try {
      return String.valueOf(t);
    } catch (RuntimeException | StackOverflowError e) {
      return className(t);
    }
  }
}
