package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

/** The reused-buffer formatting gives exactly what SLF4J's own MessageFormatter gives. */
class Slf4jMessageFormatTest {

  private static void same(String pattern, Object... args) {
    StringBuilder sb = new StringBuilder();
    Slf4jMessageFormat.format(pattern, args, sb);
    assertEquals(MessageFormatter.arrayFormat(pattern, args).getMessage(), sb.toString(), pattern);
  }

  @Test
  void matchesSlf4jForPlaceholdersEscapesAndArrays() {
    same("no placeholders", 1);
    same("{}", "only");
    same("a {} b {} c", 1, 2L);
    same("too few {} {} {}", "x");
    same("too many {}", "x", "y");
    same("escaped \\{} then {}", "x");
    same("double escaped \\\\{} here", "x");
    same("{}{}{}", null, true, 'c');
    same("unclosed { and {", "x");
    same("{} and {}", new int[] {1, 2}, new String[] {"a", "b"});
    same("{}", (Object) new Object[] {new long[] {3}, new double[] {1.5}, new boolean[] {true}});
    same("{}", (Object) new byte[] {1}, new char[] {'q'}, new short[] {4}, new float[] {2.5f});
    Object[] cyclic = new Object[2];
    cyclic[0] = "self";
    cyclic[1] = cyclic;
    same("{}", (Object) cyclic);
    same("list {} map {}", List.of(1, 2), java.util.Map.of("k", "v"));
  }

  /** Formatted with a limit: the unlimited text cut just past the limit (a message that long is dropped). */
  private static String upTo(int max, String pattern, Object... args) {
    StringBuilder sb = new StringBuilder();
    Slf4jMessageFormat.format(pattern, args, sb, max);
    String full = MessageFormatter.arrayFormat(pattern, args).getMessage();
    assertTrue(full.startsWith(sb.toString()), "a prefix of " + full + ": " + sb);
    return sb.toString();
  }

  @Test
  void withALimitItStopsJustPastIt() {
    assertEquals("a b c", upTo(100, "a {} c", "b"), "within the limit: all of it");
    assertEquals("a b", upTo(2, "a {} c", "b"), "one character past the limit");
    assertEquals("ab", upTo(1, "{}{}{}", "abc", "def", "ghi"));
    assertEquals("[1, 2", upTo(3, "{}", (Object) new int[] {1, 2, 3, 4}));
    assertEquals("[x, ", upTo(3, "{}", (Object) new Object[] {"x", "y"}));
    assertEquals("[[1, 2], [3", upTo(10, "{}", (Object) new Object[] {new int[] {1, 2}, new int[] {3, 4}}));
    Object longToString = new Object() {
      @Override
      public String toString() {
        return "0123456789";
      }
    };
    assertEquals("x01234", upTo(5, "x{}", longToString));
  }

  @Test
  void aHugeArgumentIsNotCopiedNorAHugeArrayPrinted() {
    StringBuilder sb = new StringBuilder();
    Slf4jMessageFormat.format("{}", new Object[] {"s".repeat(50_000_000)}, sb, 1000);
    assertEquals(1001, sb.length());
    sb.setLength(0);
    Slf4jMessageFormat.format("{}", new Object[] {new byte[50_000_000]}, sb, 1000);
    assertTrue(sb.length() > 1000 && sb.length() < 1010, "stopped past the limit: " + sb.length());
    assertTrue(sb.toString().startsWith("[0, 0, 0"));
  }
}
