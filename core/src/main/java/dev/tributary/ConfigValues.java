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
 * of 1024), booleans ({@code true}/{@code false} only) and integers. Errors name the option.
 */
public final class ConfigValues {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

  private ConfigValues() {}

  public static Duration duration(String option, String value) {
    String v = trimmed(option, value).toLowerCase(Locale.ROOT);
    if (v.startsWith("pt") || v.startsWith("p")) {
      try {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw bad(option, value, "a duration such as 200ms, 10s, 5m or PT10S");
      }
    }
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw bad(option, value, "a duration such as 200ms, 10s, 5m or PT10S");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ns":
        return Duration.ofNanos(n);
      case "us":
        return Duration.ofNanos(n * 1000);
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

  public static long bytes(String option, String value) {
    String v = trimmed(option, value).toLowerCase(Locale.ROOT);
    Matcher m = SIZE.matcher(v);
    if (!m.matches()) {
      throw bad(option, value, "a size such as 65536, 64KiB, 64MiB or 1GiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2);
    long factor = unit.startsWith("k") ? 1024L : unit.startsWith("m") ? 1024L * 1024 : unit.startsWith("g") ? 1024L * 1024 * 1024 : 1;
    return Math.multiplyExact(n, factor);
  }

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

  public static int integer(String option, String value) {
    try {
      return Integer.parseInt(trimmed(option, value));
    } catch (NumberFormatException e) {
      throw bad(option, value, "a whole number");
    }
  }

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
      throw new IllegalArgumentException(option + " must not be empty");
    }
    return value.trim();
  }

  private static IllegalArgumentException bad(String option, String value, String expected) {
    return new IllegalArgumentException(option + " must be " + expected + ", was \"" + value + "\"");
  }
}
