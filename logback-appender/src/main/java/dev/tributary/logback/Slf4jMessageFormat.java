package dev.tributary.logback;

import dev.tributary.logging.AsciiText;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * SLF4J's {@code {}} message formatting, as {@code org.slf4j.helpers.MessageFormatter} does it
 * (escapes {@code \{}} and {@code \\{}}, arrays printed deeply, cycles as {@code [...]}, a failing
 * {@code toString()} as {@code [FAILED toString()]}), but into a caller's reused
 * {@link StringBuilder} instead of a new String per event: the one allocation logback's own
 * {@code getFormattedMessage()} cannot avoid.
 *
 * <p>A pattern seen a second time, and all ASCII, is kept parsed ({@link Parsed}): its text as
 * {@link AsciiText} and where its placeholders are. Its events are then formatted into an {@code
 * AsciiText} by copies of the pattern's pieces and the arguments' characters, with no search for
 * placeholders, and the encoder copies the result as it is ({@link #format(String, Object[],
 * AsciiText, StringBuilder, int)}). The parsed patterns sit in a small table shared by all
 * threads: entries are immutable and replaced whole, so a racing reader sees an old entry, a new
 * one or none, each of them right. A pattern seen once only costs a reference in a second table,
 * so a stream of distinct patterns allocates nothing. The parsed table has two ways a set; a
 * third hot pattern in a set replaces the older one (and is parsed again when it comes back).
 */
final class Slf4jMessageFormat {

  private static final int TABLE_BITS = 10;
  /** Two ways a set: a pattern lives in way {@code 2 * set} or {@code 2 * set + 1}. */
  private static final Parsed[] PARSED = new Parsed[2 << TABLE_BITS];
  private static final String[] SEEN = new String[1 << TABLE_BITS];

  private Slf4jMessageFormat() {}

  /**
   * Formats as {@link #format(String, Object[], StringBuilder, int)} does and returns the text:
   * {@code out} when {@code pattern} is a parsed one and every argument's text is ASCII, otherwise
   * {@code scratch}. Each argument is printed once either way: an argument found not to be ASCII
   * goes into {@code scratch} after what {@code out} holds, and the rest follows there.
   */
  static CharSequence format(String pattern, Object[] args, AsciiText out, StringBuilder scratch, int max) {
    Parsed p = parsed(pattern);
    if (p == null) {
      scratch.setLength(0);
      format(pattern, args, scratch, max);
      return scratch;
    }
    AsciiText text = p.text;
    int[] ops = p.ops;
    int i = 0;
    int a = 0;
    for (int k = 0; k < ops.length && a < args.length && out.length() <= max; k += 3) {
      out.append(text, i, cut(i, ops[k], out, max));
      if (out.length() > max) {
        return out; // cut in the text before the placeholder
      }
      i = ops[k + 2];
      if (ops[k + 1] == Parsed.ESCAPE) {
        out.append('{');
      } else if (!appendAscii(out, args[a++], scratch, max)) {
        formatFrom(pattern, args, a, i, scratch, max);
        return scratch;
      }
    }
    out.append(text, i, cut(i, text.length(), out, max));
    return out;
  }

  /**
   * Appends {@code o}'s text to {@code out} and returns true when it is ASCII; otherwise returns
   * false with {@code scratch} holding {@code out}'s text and then {@code o}'s.
   */
  private static boolean appendAscii(AsciiText out, Object o, StringBuilder scratch, int max) {
    if (o instanceof Integer) {
      out.append(((Integer) o).intValue());
      return true;
    } else if (o instanceof Long) {
      out.append(((Long) o).longValue());
      return true;
    }
    scratch.setLength(0);
    if (o instanceof String) {
      String s = (String) o;
      if (out.append(s, 0, cut(0, s.length(), out, max))) {
        return true;
      }
      scratch.append(out);
      append(scratch, s, 0, s.length(), max);
      return false;
    }
    appendDeeply(scratch, o, null, Math.max(0, max - out.length()));
    if (out.append(scratch, 0, cut(0, scratch.length(), out, max))) {
      return true;
    }
    scratch.insert(0, out);
    return false;
  }

  /** The end of {@code [from, to)} that leaves {@code out} no more than one character past {@code max}. */
  private static int cut(int from, int to, AsciiText out, int max) {
    long room = (long) max + 1 - out.length();
    return room <= 0 ? from : (int) Math.min(to, from + room);
  }

  /** The parsed form of {@code pattern}, made when it is seen the second time; null before, or when it is not ASCII. */
  private static Parsed parsed(String pattern) {
    int set = setOf(pattern);
    Parsed[] table = PARSED;
    Parsed p = table[2 * set];
    if (p != null && p.pattern == pattern) {
      return p;
    }
    Parsed q = table[2 * set + 1];
    if (q != null && q.pattern == pattern) {
      return q;
    }
    if (SEEN[set] != pattern) {
      SEEN[set] = pattern;
      return null;
    }
    Parsed parsed = Parsed.of(pattern);
    if (parsed != null) {
      // the first way moves to the second: a third pattern replaces the one parsed longer ago
      table[2 * set + 1] = p;
      table[2 * set] = parsed;
    }
    return parsed;
  }

  static int setOf(String pattern) {
    return (pattern.hashCode() * 0x9E3779B9) >>> (32 - TABLE_BITS);
  }

  /**
   * An ASCII pattern and its placeholders, in the order {@link #format} meets them with enough
   * arguments: per placeholder three ints, where the text before it ends, whether it is an escaped
   * {@code \{}} (a literal '{', no argument) or takes an argument, and where the text after it
   * starts. Immutable.
   */
  static final class Parsed {

    static final int ARGUMENT = 0;
    static final int ESCAPE = 1;

    final String pattern;
    final AsciiText text;
    final int[] ops;

    private Parsed(String pattern, AsciiText text, int[] ops) {
      this.pattern = pattern;
      this.text = text;
      this.ops = ops;
    }

    /** Parses {@code pattern}, or returns null when it holds a character that is not ASCII. */
    static Parsed of(String pattern) {
      AsciiText text = new AsciiText(pattern.length());
      if (!text.append(pattern)) {
        return null;
      }
      int[] ops = new int[12];
      int n = 0;
      int i = 0;
      for (int j; (j = pattern.indexOf("{}", i)) != -1; ) {
        if (n + 3 > ops.length) {
          ops = Arrays.copyOf(ops, ops.length * 2);
        }
        if (j > 0 && pattern.charAt(j - 1) == '\\') {
          boolean doubled = j > 1 && pattern.charAt(j - 2) == '\\';
          ops[n] = j - 1;
          ops[n + 1] = doubled ? ARGUMENT : ESCAPE;
          i = doubled ? j + 2 : j + 1;
        } else {
          ops[n] = j;
          ops[n + 1] = ARGUMENT;
          i = j + 2;
        }
        ops[n + 2] = i;
        n += 3;
      }
      return new Parsed(pattern, text, Arrays.copyOf(ops, n));
    }
  }

  static void format(String pattern, Object[] args, StringBuilder sb) {
    format(pattern, args, sb, Integer.MAX_VALUE);
  }

  /**
   * Formats into {@code sb}, stopping once it holds more than {@code max} characters: a message
   * that long is dropped as too large, so a 300 MB argument is not copied, nor a 100 MB array
   * printed, past that point.
   */
  static void format(String pattern, Object[] args, StringBuilder sb, int max) {
    formatFrom(pattern, args, 0, 0, sb, max);
  }

  /** The formatting loop, from argument {@code a} and pattern index {@code i} on. */
  private static void formatFrom(String pattern, Object[] args, int a, int i, StringBuilder sb, int max) {
    for (; a < args.length && sb.length() <= max; a++) {
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
          if (sb.length() <= max) {
            sb.append('{');
          }
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
