package dev.tributary;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses option values written as text, as the logging adapters' configuration files give them:
 * durations ({@code 200ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, or ISO-8601 {@code
 * PT10S}), byte sizes ({@code 65536}, {@code 64KiB}, {@code 64MB}, {@code 1GiB}; K/M/G are powers
 * of 1024), booleans ({@code true}/{@code false} only) and integers.
 *
 * <p>Every bad value, including one too large for its type, is an {@link IllegalArgumentException}
 * whose message names the option and quotes the text. Stateless and thread safe.
 *
 * <pre>{@code
 * Duration d = ConfigValues.duration("flushInterval", "500ms");
 * long n = ConfigValues.bytes("bufferMaxBytes", "64MiB");
 * }</pre>
 */
public final class ConfigValues {

  /** The longest duration an option takes: what a {@code long} of nanoseconds holds (~292 years). */
  public static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

  private static final String DURATION_FORMS = "a duration such as 200ms, 10s, 5m or PT10S";
  private static final String DURATION_UNITS =
      "a duration with a unit of ns, us, ms, s, m, h or d (such as 200ms or 10s) or ISO-8601 (PT10S)";
  private static final String SIZE_FORMS = "a size such as 65536, 64KiB, 64MiB or 1GiB";
  private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+)\\s*([a-z]*)");

  private ConfigValues() {}

  /**
   * A duration: a whole number and a unit ({@code ns}, {@code us}, {@code ms}, {@code s}, {@code
   * m}, {@code h}, {@code d}), or ISO-8601 ({@code PT10S}); at most {@link #MAX_DURATION}.
   */
  public static Duration duration(String option, String value) {
    String v = trimmed(option, value).toLowerCase(Locale.ROOT);
    Duration d;
    if (v.startsWith("p") || v.startsWith("-p") || v.startsWith("+p")) {
      try {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException | ArithmeticException e) {
        throw bad(option, value, DURATION_FORMS);
      }
    } else {
      Matcher m = NUMBER_AND_UNIT.matcher(v);
      if (!m.matches()) {
        throw bad(option, value, DURATION_FORMS);
      }
      String unit = m.group(2);
      if (!unit.matches("ns|us|ms|s|m|h|d")) {
        throw bad(option, value, DURATION_UNITS);
      }
      try {
        d = ofUnit(Long.parseLong(m.group(1)), unit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw tooLarge(option, value);
      }
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      throw tooLarge(option, value);
    }
    return d;
  }

  private static Duration ofUnit(long n, String unit) {
    switch (unit) {
      case "ns":
        return Duration.ofNanos(n);
      case "us":
        return Duration.ofNanos(Math.multiplyExact(n, 1000L));
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }

  /** A byte size: a whole number, optionally with a unit (KiB, MiB, GiB; KB, MB, GB and K, M, G mean the same). */
  public static long bytes(String option, String value) {
    String v = trimmed(option, value).toLowerCase(Locale.ROOT);
    Matcher m = NUMBER_AND_UNIT.matcher(v);
    if (!m.matches()) {
      throw bad(option, value, SIZE_FORMS);
    }
    String unit = m.group(2);
    long factor;
    switch (unit) {
      case "":
      case "b":
        factor = 1;
        break;
      case "k":
      case "kb":
      case "kib":
        factor = 1024L;
        break;
      case "m":
      case "mb":
      case "mib":
        factor = 1024L * 1024;
        break;
      case "g":
      case "gb":
      case "gib":
        factor = 1024L * 1024 * 1024;
        break;
      default:
        throw bad(option, value, SIZE_FORMS + " (units B, KiB, MiB, GiB)");
    }
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(option + " must be at most " + Long.MAX_VALUE + " bytes, was " + quote(value));
    }
  }

  /** {@code true} or {@code false}, in any case. */
  public static boolean bool(String option, String value) {
    String v = trimmed(option, value).toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw bad(option, value, "true or false");
  }

  /** A whole number that fits an {@code int}. */
  public static int integer(String option, String value) {
    String v = trimmed(option, value);
    if (!v.matches("[-+]?\\d+")) {
      throw bad(option, value, "a whole number");
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw bad(option, value, "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
    }
  }

  /** One of {@code type}'s constants by name, in any case, {@code -} for {@code _}. */
  public static <E extends Enum<E>> E enumValue(String option, String value, Class<E> type) {
    String v = trimmed(option, value).toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(v)) {
        return e;
      }
    }
    StringBuilder names = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      names.append(names.length() == 0 ? "" : ", ").append(e.name());
    }
    throw bad(option, value, "one of " + names);
  }

  private static String trimmed(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " must not be empty, was " + quote(value));
    }
    return value.trim();
  }

  private static IllegalArgumentException bad(String option, String value, String expected) {
    return new IllegalArgumentException(option + " must be " + expected + ", was " + quote(value));
  }

  private static IllegalArgumentException tooLarge(String option, String value) {
    return new IllegalArgumentException(option + " must be at most " + MAX_DURATION.toDays() + "d (about 292 years), was "
        + quote(value));
  }

  static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
