package dev.tributary.logback;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * SLF4J's {@code {}} message formatting, as {@code org.slf4j.helpers.MessageFormatter} does it
 * (escapes {@code \{}} and {@code \\{}}, arrays printed deeply, cycles as {@code [...]}, a failing
 * {@code toString()} as {@code [FAILED toString()]}), but into a caller's reused
 * {@link StringBuilder} instead of a new String per event: the one allocation logback's own
 * {@code getFormattedMessage()} cannot avoid. Stateless.
 */
final class Slf4jMessageFormat {

  private Slf4jMessageFormat() {}

  static void format(String pattern, Object[] args, StringBuilder sb) {
    int i = 0;
    for (int a = 0; a < args.length; a++) {
      int j = pattern.indexOf("{}", i);
      if (j == -1) {
        break;
      }
      if (j > 0 && pattern.charAt(j - 1) == '\\') {
        if (j > 1 && pattern.charAt(j - 2) == '\\') {
          // "\\{}": a literal backslash, then the argument
          sb.append(pattern, i, j - 1);
          appendDeeply(sb, args[a], null);
          i = j + 2;
        } else {
          // "\{}": a literal "{", and the argument is not used up
          a--;
          sb.append(pattern, i, j - 1).append('{');
          i = j + 1;
        }
      } else {
        sb.append(pattern, i, j);
        appendDeeply(sb, args[a], null);
        i = j + 2;
      }
    }
    sb.append(pattern, i, pattern.length());
  }

  private static void appendDeeply(StringBuilder sb, Object o, Map<Object[], Boolean> seen) {
    if (o == null) {
      sb.append("null");
    } else if (o instanceof String) {
      sb.append((String) o);
    } else if (o instanceof Integer) {
      sb.append(((Integer) o).intValue());
    } else if (o instanceof Long) {
      sb.append(((Long) o).longValue());
    } else if (!o.getClass().isArray()) {
      appendSafely(sb, o);
    } else if (o instanceof Object[]) {
      appendObjects(sb, (Object[]) o, seen == null ? new IdentityHashMap<>() : seen);
    } else if (o instanceof boolean[]) {
      sb.append(Arrays.toString((boolean[]) o));
    } else if (o instanceof byte[]) {
      sb.append(Arrays.toString((byte[]) o));
    } else if (o instanceof char[]) {
      sb.append(Arrays.toString((char[]) o));
    } else if (o instanceof short[]) {
      sb.append(Arrays.toString((short[]) o));
    } else if (o instanceof int[]) {
      sb.append(Arrays.toString((int[]) o));
    } else if (o instanceof long[]) {
      sb.append(Arrays.toString((long[]) o));
    } else if (o instanceof float[]) {
      sb.append(Arrays.toString((float[]) o));
    } else {
      sb.append(Arrays.toString((double[]) o));
    }
  }

  private static void appendSafely(StringBuilder sb, Object o) {
    try {
      sb.append(o.toString());
    } catch (Throwable t) {
      sb.append("[FAILED toString()]");
    }
  }

  private static void appendObjects(StringBuilder sb, Object[] a, Map<Object[], Boolean> seen) {
    sb.append('[');
    if (seen.put(a, Boolean.TRUE) == null) {
      for (int i = 0; i < a.length; i++) {
        appendDeeply(sb, a[i], seen);
        if (i != a.length - 1) {
          sb.append(", ");
        }
      }
      seen.remove(a);
    } else {
      sb.append("...");
    }
    sb.append(']');
  }
}
