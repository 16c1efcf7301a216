package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every option set from text, with every kind of bad text: the error is always an {@link
 * IllegalArgumentException} (never a subclass such as {@code NumberFormatException}, never an
 * {@code ArithmeticException}) that names the option and quotes the text.
 */
class OptionTextTest {

  private enum Kind { DURATION, SIZE, COUNT, BOOL, ENUM, NAME, SERVERS, PATH, TEXT, TLS_VERSION }

  private static final List<String> BLANK = List.of("", "   ");
  private static final List<String> BAD_DURATIONS = List.of(
      "999999999999999999d", "99999999999999999999ms", "106752d", "PT99999999999999999999S", "P999999999999D",
      "-5s", "-1ms", "PT-1S",
      "200", "5x", "5 sec", "5S5", "soon", "1.5s");
  private static final List<String> BAD_SIZES = List.of(
      "99999999999999999999", "99999999999GiB", "9999999999999999999KiB",
      "-1", "-1KiB",
      "64XB", "64kbit", "1TiB", "1.5MiB", "lots", "1");
  private static final List<String> BAD_COUNTS = List.of(
      "99999999999", "99999999999999999999", "-99999999999",
      "-1",
      "10x", "10s", "1.5", "many");
  private static final List<String> BAD_BOOLS = List.of("yes", "1", "tru", "on");
  private static final List<String> BAD_ENUMS = List.of("maybe", "BLOCKING", "0");
  private static final List<String> BAD_NAMES = List.of("has space", "a/b", "ü");
  private static final List<String> BAD_PATHS = List.of("a\0b");
  private static final List<String> BAD_TLS_VERSIONS = List.of("1.1", "TLSv1.0", "SSLv3", "tls");
  private static final List<String> BAD_SERVERS = List.of(
      "hostonly", "h:x", "h:0", "h:-1", "h:70000", "h:99999999999", ":24224", "h:", "a:1,", "a:1,,b:2",
      "h:1 weight=x", "h:1 weight=-1", "h:1 weight=99999999999", "h:1 weight", "h:1 standby=maybe", "h:1 bogus",
      "weight=1");

  private static Kind kind(String option) {
    if (option.equals("name")) {
      return Kind.NAME;
    }
    if (option.equals("server") || option.equals("servers")) {
      return Kind.SERVERS;
    }
    if (option.equals("tlsMinVersion") || option.equals("tlsMaxVersion")) {
      return Kind.TLS_VERSION;
    }
    for (Method m : Tributary.Builder.class.getMethods()) {
      if (m.getName().equals(option) && m.getParameterCount() == 1 && m.getReturnType() == Tributary.Builder.class) {
        Class<?> type = m.getParameterTypes()[0];
        if (type == Duration.class) {
          return Kind.DURATION;
        }
        if (type == boolean.class) {
          return Kind.BOOL;
        }
        if (type.isEnum()) {
          return Kind.ENUM;
        }
        if (type == java.nio.file.Path.class) {
          return Kind.PATH;
        }
        if (type == String.class) {
          return Kind.TEXT;
        }
        if (type == int.class || type == long.class) {
          try {
            Tributary.builder().option(option, "64KiB");
            return Kind.SIZE;
          } catch (IllegalArgumentException e) {
            return Kind.COUNT;
          }
        }
      }
    }
    throw new AssertionError("no setter of one argument for option " + option);
  }

  private static List<String> badTexts(Kind kind) {
    List<String> bad = new ArrayList<>(BLANK);
    switch (kind) {
      case DURATION: bad.addAll(BAD_DURATIONS); break;
      case SIZE: bad.addAll(BAD_SIZES); break;
      case COUNT: bad.addAll(BAD_COUNTS); break;
      case BOOL: bad.addAll(BAD_BOOLS); break;
      case ENUM: bad.addAll(BAD_ENUMS); break;
      case NAME: bad.addAll(BAD_NAMES); break;
      case PATH: bad.addAll(BAD_PATHS); break;
      case TLS_VERSION: bad.addAll(BAD_TLS_VERSIONS); break;
      case TEXT: break;
      default: bad.addAll(BAD_SERVERS); break;
    }
    return bad;
  }

  @Test
  void everyBadTextOfEveryOptionIsAnIllegalArgumentNamingOptionAndText() {
    List<String> failures = new ArrayList<>();
    for (String option : Tributary.Builder.OPTIONS) {
      for (String text : badTexts(kind(option))) {
        try {
          Tributary.builder().option(option, text);
          failures.add(option + "=\"" + text + "\" was accepted");
        } catch (RuntimeException e) {
          String m = e.getMessage();
          if (e.getClass() != IllegalArgumentException.class) {
            failures.add(option + "=\"" + text + "\" threw " + e);
          } else if (m == null || !m.startsWith(option) || !m.contains("\"" + text + "\"")) {
            failures.add(option + "=\"" + text + "\": message does not name the option and the text: " + m);
          }
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void sizesTooLargeForAnIntOptionAreNamed() {
    assertEquals("chunkMaxBytes must be below 2 GiB, was \"3GiB\"",
        assertThrows(IllegalArgumentException.class, () -> Tributary.builder().option("chunkMaxBytes", "3GiB")).getMessage());
  }

  @Test
  void theMessagesSayWhatIsExpected() {
    assertEquals("bufferMaxBytes must be at most 9223372036854775807 bytes, was \"99999999999GiB\"",
        message("bufferMaxBytes", "99999999999GiB"));
    assertEquals("bufferMaxBytes must be at most 9223372036854775807 bytes, was \"99999999999999999999\"",
        message("bufferMaxBytes", "99999999999999999999"));
    assertEquals("retryTimeout must be at most 106751d (about 292 years), was \"999999999999999999d\"",
        message("retryTimeout", "999999999999999999d"));
    assertEquals("flushInterval must be a duration with a unit of ns, us, ms, s, m, h or d (such as 200ms or 10s)"
        + " or ISO-8601 (PT10S), was \"200\"", message("flushInterval", "200"));
    assertEquals("chunkMaxRecords must be a whole number from -2147483648 to 2147483647, was \"99999999999\"",
        message("chunkMaxRecords", "99999999999"));
    assertEquals("maxBlock must not be empty, was \"\"", message("maxBlock", ""));
    assertEquals("flushInterval must be > 0, was PT0S (given as \"0s\")", message("flushInterval", "0s"));
    assertEquals("servers entry must be host:port with a port within 1..65535, was \"h:0\"", message("servers", "h:0"));
    assertEquals("server entry must be host:port, was \"hostonly\"", message("server", "hostonly"));
  }

  @Test
  void theLongestDurationsAndLargestSizesAreAccepted() {
    Tributary.builder()
        .option("retryTimeout", "106751d")
        .option("closeTimeout", Long.MAX_VALUE + "ns")
        .option("bufferMaxBytes", Long.MAX_VALUE + "")
        .option("chunkMaxBytes", Integer.MAX_VALUE + "")
        .option("maxBlock", "0ms")
        .option("server", "h:65535");
    assertEquals(Duration.ofNanos(1000), ConfigValues.duration("x", "1us"));
    assertEquals(Duration.ofDays(2), ConfigValues.duration("x", "2D"));
    assertEquals(Duration.ofSeconds(10), ConfigValues.duration("x", " pt10s "));
    assertEquals(8L * 1024 * 1024, ConfigValues.bytes("x", "8 MB"));
    assertEquals(-5, ConfigValues.integer("x", "-5"));
  }

  @Test
  void settersInCodeRefuseDurationsBeyondWhatNanosecondsHold() {
    Duration tooLong = ConfigValues.MAX_DURATION.plusNanos(1);
    for (String option : Tributary.Builder.OPTIONS) {
      if (kind(option) != Kind.DURATION) {
        continue;
      }
      try {
        Tributary.builder().getClass().getMethod(option, Duration.class).invoke(Tributary.builder(), tooLong);
        fail(option + " accepted " + tooLong);
      } catch (java.lang.reflect.InvocationTargetException e) {
        assertEquals(IllegalArgumentException.class, e.getCause().getClass(), option);
        assertTrue(e.getCause().getMessage().startsWith(option + " must be at most 106751d"), e.getCause().getMessage());
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void codeOnlyOptionsSaySo() {
    String m = message("listener", "x");
    assertTrue(m.startsWith("unknown option \"listener\""), m);
    assertTrue(m.contains("set in code only"), m);
  }

  private static String message(String option, String text) {
    return assertThrows(IllegalArgumentException.class, () -> Tributary.builder().option(option, text)).getMessage();
  }
}
