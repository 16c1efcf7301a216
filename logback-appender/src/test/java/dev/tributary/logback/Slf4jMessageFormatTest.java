package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.logging.AsciiText;
import java.util.ArrayList;
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
  /**
   * Formats {@code pattern} (a new instance each time, so no earlier test's sighting counts) twice
   * with {@code max}, the second time on its parsed path; both times a prefix of SLF4J's message,
   * all of it when that is no longer than {@code max}, and longer than {@code max} otherwise.
   * Returns the second result.
   */
  private static CharSequence twice(int max, String constant, Object... args) {
    String pattern = new String(constant);
    String full = MessageFormatter.arrayFormat(pattern, args).getMessage();
    AsciiText text = new AsciiText(4);
    StringBuilder scratch = new StringBuilder();
    CharSequence result = null;
    for (int round = 0; round < 2; round++) {
      text.clear();
      result = Slf4jMessageFormat.format(pattern, args, text, scratch, max);
      if (round == 0) {
        assertSame(scratch, result, "a pattern seen once is formatted the general way: " + pattern);
      }
      String got = result.toString();
      if (full.length() <= max) {
        assertEquals(full, got, pattern);
      } else {
        assertTrue(got.length() > max && full.startsWith(got), "a prefix past " + max + " of " + full + ": " + got);
      }
    }
    return result;
  }

  private static CharSequence twice(String pattern, Object... args) {
    return twice(Integer.MAX_VALUE, pattern, args);
  }

  @Test
  void aPatternSeenBeforeIsFormattedAsAsciiTextAsSlf4jFormatsIt() {
    assertInstanceOf(AsciiText.class, twice("no placeholders", 1));
    assertInstanceOf(AsciiText.class, twice("{}", "only"));
    assertInstanceOf(AsciiText.class, twice("a {} b {} c", 1, -2L));
    assertInstanceOf(AsciiText.class, twice("a {} b {} c", Integer.MIN_VALUE, Long.MIN_VALUE));
    assertInstanceOf(AsciiText.class, twice("too few {} {} {}", "x"));
    assertInstanceOf(AsciiText.class, twice("too many {}", "x", "y"));
    assertInstanceOf(AsciiText.class, twice("escaped \\{} then {}", "x"));
    assertInstanceOf(AsciiText.class, twice("only an escape \\{} here", "x"));
    assertInstanceOf(AsciiText.class, twice("double escaped \\\\{} here {}", "x", "y"));
    assertInstanceOf(AsciiText.class, twice("\\{}\\{}{}", "x"));
    assertInstanceOf(AsciiText.class, twice("{}{}{}", null, true, 'c'));
    assertInstanceOf(AsciiText.class, twice("unclosed { and {", "x"));
    assertInstanceOf(AsciiText.class, twice("{} and {}", new int[] {1, 2}, new String[] {"a", "b"}));
    assertInstanceOf(AsciiText.class, twice("{}", (Object) new Object[] {new long[] {3}, new double[] {1.5}}));
    assertInstanceOf(AsciiText.class, twice("list {} map {}", List.of(1, 2), java.util.Map.of("k", "v")));
    Object[] cyclic = new Object[2];
    cyclic[0] = "self";
    cyclic[1] = cyclic;
    assertInstanceOf(AsciiText.class, twice("{}", (Object) cyclic));
  }

  @Test
  void textThatIsNotAsciiIsFormattedTheGeneralWayWithEachArgumentPrintedOnce() {
    assertInstanceOf(StringBuilder.class, twice("Gr\u00fc\u00dfe an {}", "Ada"), "a pattern that is not ASCII");
    List<String> printed = new ArrayList<>();
    Object first = new Object() {
      @Override
      public String toString() {
        printed.add("first");
        return "one";
      }
    };
    Object notAscii = new Object() {
      @Override
      public String toString() {
        printed.add("notAscii");
        return "Zo\u00eb";
      }
    };
    Object last = new Object() {
      @Override
      public String toString() {
        printed.add("last");
        return "three";
      }
    };
    assertInstanceOf(StringBuilder.class, twice("a {} b {} c {} d {}", first, notAscii, last, "\u00e9"));
    // MessageFormatter once, then the general path, then the parsed path that falls back midway
    assertEquals(List.of("first", "first", "first", "last", "last", "last", "notAscii", "notAscii", "notAscii"),
        printed.stream().sorted().toList());
    assertInstanceOf(StringBuilder.class, twice("{} then {}", "Zo\u00eb", 5), "a string argument that is not ASCII");
    assertInstanceOf(StringBuilder.class, twice("x\\{} {} {}", 1, new String[] {"\u00e9"}), "an array's element");
    assertInstanceOf(AsciiText.class, twice("ascii again {}", "yes"), "and the next event is ASCII again");
  }

  @Test
  void theParsedPathStopsJustPastTheLimitToo() {
    assertEquals("a b", twice(2, "a {} c", "b").toString());
    assertEquals("ab", twice(1, "{}{}{}", "abc", "def", "ghi").toString());
    assertEquals("0123", twice(3, "0123456789 {}", "x").toString());
    assertEquals("x1234567", twice(4, "x{}", 1234567L).toString(), "a number is written whole");
    twice(3, "{}", (Object) new int[] {1, 2, 3, 4});
    for (int max = 0; max < 40; max++) {
      twice(max, "Order {} for {} \\{} at {} {}", 4711, "customer 0815", new int[] {1, 2, 3}, 99.95, "end");
    }
    // at every limit, up to past the whole message, the parsed path stops where the general one does
    for (int max = 0; max < 120; max++) {
      sameAsTheGeneralPath(max, "Order {} for {} at {} now", 4711, -12L, Long.MIN_VALUE);
      sameAsTheGeneralPath(max, "n{}{} then {} and {}", Integer.MIN_VALUE, 7, "a string", 8);
      sameAsTheGeneralPath(max, "{} too few {} {}", 1);
      sameAsTheGeneralPath(max, "{} and then some text {} end", Long.MIN_VALUE, 5);
    }
    CharSequence huge = twice(1000, "{} and more", "s".repeat(50_000_000));
    assertEquals(1001, huge.length(), "a huge argument is not copied past the limit");
  }

  /** The parsed path's text is the general path's, cut at the same place (numbers whole, text just past {@code max}). */
  private static void sameAsTheGeneralPath(int max, String pattern, Object... args) {
    StringBuilder general = new StringBuilder();
    Slf4jMessageFormat.format(pattern, args, general, max);
    assertEquals(general.toString(), twice(max, pattern, args).toString(), pattern + " up to " + max);
  }

  private static boolean parsedPath(String pattern) {
    AsciiText text = new AsciiText();
    return Slf4jMessageFormat.format(pattern, new Object[] {1}, text, new StringBuilder(), Integer.MAX_VALUE) == text;
  }

  @Test
  void twoPatternsOfOneSetStayParsedAndAThirdReplacesTheOlder() {
    List<String> same = new ArrayList<>();
    int set = Slf4jMessageFormat.setOf("set probe {}");
    for (int i = 0; same.size() < 3; i++) {
      String p = "pattern " + i + " {}";
      if (Slf4jMessageFormat.setOf(p) == set) {
        same.add(p);
      }
    }
    String a = same.get(0);
    String b = same.get(1);
    String c = same.get(2);
    assertFalse(parsedPath(a), "seen once");
    assertTrue(parsedPath(a), "seen twice: parsed");
    assertFalse(parsedPath(b));
    assertTrue(parsedPath(b));
    for (int i = 0; i < 4; i++) {
      assertTrue(parsedPath(a), "both stay, in turns");
      assertTrue(parsedPath(b), "both stay, in turns");
    }
    assertFalse(parsedPath(c));
    assertTrue(parsedPath(c), "a third one is parsed in place of the older");
    assertTrue(parsedPath(b));
    assertFalse(parsedPath(a), "the older one is out");
    assertTrue(parsedPath(a), "and comes back when seen again");
  }
}
