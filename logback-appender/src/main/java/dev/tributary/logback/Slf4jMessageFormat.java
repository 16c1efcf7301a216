package dev.tributary.logback;

import java.lang.reflect.Array;
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
    format(pattern, args, sb, Integer.MAX_VALUE);
  }

  /**
   * Formats into {@code sb}, stopping once it holds more than {@code max} characters: a message
   * that long is dropped as too large, so a 300 MB argument is not copied, nor a 100 MB array
   * printed, past that point.
   */
  static void format(String pattern, Object[] args, StringBuilder sb, int max) {
    int i = 0;
    for (int a = 0; a < args.length && sb.length() <= max; a++) {
      int j = pattern.indexOf("{}", i);
      if (j == -1) {
        break;
      }
      if (j > 0 && pattern.charAt(j - 1) == '\\') {
        if (j > 1 && pattern.charAt(j - 2) == '\\') {
          // "\\{}": a literal backslash, then the argument
          append(sb, pattern, i, j - 1, max);
          appendDeeply(sb, args[a], null, max);
          i = j + 2;
        } else {
          // "\{}": a literal "{", and the argument is not used up
          a--;
          append(sb, pattern, i, j - 1, max);
          sb.append('{');
          i = j + 1;
        }
      } else {
        append(sb, pattern, i, j, max);
        appendDeeply(sb, args[a], null, max);
        i = j + 2;
      }
    }
    append(sb, pattern, i, pattern.length(), max);
  }

  /** Appends {@code s[start, end)}, but no more than one character past {@code max} in all. */
  private static void append(StringBuilder sb, CharSequence s, int start, int end, int max) {
    long room = (long) max + 1 - sb.length();
    if (room > 0) {
      sb.append(s, start, (int) Math.min(end, start + room));
    }
  }

  private static void appendDeeply(StringBuilder sb, Object o, Map<Object[], Boolean> seen, int max) {
    if (sb.length() > max) {
      return;
    }
    if (o == null) {
      sb.append("null");
    } else if (o instanceof String) {
      append(sb, (String) o, 0, ((String) o).length(), max);
    } else if (o instanceof Integer) {
      sb.append(((Integer) o).intValue());
    } else if (o instanceof Long) {
      sb.append(((Long) o).longValue());
    } else if (!o.getClass().isArray()) {
      appendSafely(sb, o, max);
    } else if (o instanceof Object[]) {
      appendObjects(sb, (Object[]) o, seen == null ? new IdentityHashMap<>() : seen, max);
    } else if ((long) Array.getLength(o) * 3 > (long) max + 1 - sb.length()) {
      // "[a, b, c]" is at least three characters an element: too long to print in full
      appendPrimitivesUpTo(sb, o, max);
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

  /** The start of {@code Arrays.toString(array)}, until {@code sb} holds more than {@code max}. */
  private static void appendPrimitivesUpTo(StringBuilder sb, Object array, int max) {
    sb.append('[');
    int n = Array.getLength(array);
    for (int i = 0; i < n && sb.length() <= max; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(Array.get(array, i));
    }
    if (sb.length() <= max) {
      sb.append(']');
    }
  }

  private static void appendSafely(StringBuilder sb, Object o, int max) {
    String s;
    try {
      s = String.valueOf(o.toString());
    } catch (Throwable t) {
      s = "[FAILED toString()]";
    }
    append(sb, s, 0, s.length(), max);
  }

  private static void appendObjects(StringBuilder sb, Object[] a, Map<Object[], Boolean> seen, int max) {
    sb.append('[');
    if (seen.put(a, Boolean.TRUE) == null) {
      for (int i = 0; i < a.length && sb.length() <= max; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        appendDeeply(sb, a[i], seen, max);
      }
      seen.remove(a);
    } else {
      sb.append("...");
    }
    if (sb.length() <= max) {
      sb.append(']');
    }
  }
}
