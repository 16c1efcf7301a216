package dev.tributary.logging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsciiTextTest {

  @Test
  void numbersAreWrittenAsLongToStringWritesThem() {
    long[] edges = {0, 1, -1, 9, 10, -9, -10, 99, 100, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MAX_VALUE / 10, Long.MIN_VALUE / 10, 1_000_000_000_000_000_000L};
    AsciiText t = new AsciiText(16);
    for (long v : edges) {
      t.clear();
      t.append(v);
      assertEquals(Long.toString(v), t.toString());
    }
    // every digit count, at its edges, for the int path and the long one
    for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
      for (long v : new long[] {p - 1, p, p * 10 - 1, -p, -p + 1, -(p * 10 - 1)}) {
        t.clear();
        t.append(v);
        assertEquals(Long.toString(v), t.toString());
      }
    }
    SplittableRandom random = new SplittableRandom(11);
    StringBuilder expected = new StringBuilder();
    t.clear();
    for (int i = 0; i < 2_000; i++) {
      long v = random.nextLong() >> random.nextInt(64); // every magnitude
      t.append(v);
      expected.append(v);
    }
    assertEquals(expected.toString(), t.toString(), "appended one after another, growing the array");
  }

  @Test
  void textWithACharacterThatIsNotAsciiIsRefusedAndLeavesTheTextAsItWas() {
    AsciiText t = new AsciiText(16);
    assertTrue(t.append("abc"));
    // '\u0141' narrows to 'A', '\u0080' is the first char past ASCII
    for (String bad : new String[] {"\u00e9", "x\u0141", "\u0080", "ok\uD83D\uDE00", "\uD800"}) {
      assertFalse(t.append(bad), bad);
      assertFalse(t.append(new StringBuilder(bad)), "as a StringBuilder: " + bad);
      assertEquals("abc", t.toString());
    }
    assertFalse(t.append('\u00e9'));
    assertTrue(t.append('\u007f'));
    assertTrue(t.append("x\u00e9y", 0, 1), "the ASCII part of a text alone");
    assertEquals("abc\u007fx", t.toString());
  }

  @Test
  void itReadsAsTheCharSequenceItHolds() {
    AsciiText t = new AsciiText(4);
    StringBuilder expected = new StringBuilder();
    SplittableRandom random = new SplittableRandom(5);
    AsciiText other = new AsciiText();
    other.append("0123456789");
    for (int i = 0; i < 500; i++) {
      switch (random.nextInt(4)) {
        case 0:
          String s = "word" + i;
          int from = random.nextInt(s.length());
          assertTrue(t.append(s, from, s.length()));
          expected.append(s, from, s.length());
          break;
        case 1:
          char c = (char) ('a' + random.nextInt(26));
          assertTrue(t.append(c));
          expected.append(c);
          break;
        case 2:
          t.append(other, 3, 7);
          expected.append("3456");
          break;
        default:
          t.append((long) i);
          expected.append(i);
      }
    }
    assertEquals(expected.length(), t.length());
    assertEquals(expected.toString(), t.toString());
    for (int i = 0; i < t.length(); i++) {
      assertEquals(expected.charAt(i), t.charAt(i));
    }
    assertEquals(expected.substring(5, 17), t.subSequence(5, 17).toString());
    byte[] dst = new byte[t.length() + 3];
    t.getBytes(0, t.length(), dst, 3);
    byte[] want = new byte[dst.length];
    System.arraycopy(expected.toString().getBytes(StandardCharsets.UTF_8), 0, want, 3, t.length());
    assertArrayEquals(want, dst);
    assertThrows(IndexOutOfBoundsException.class, () -> t.charAt(t.length()));
    assertThrows(IndexOutOfBoundsException.class, () -> t.getBytes(0, t.length() + 1, dst, 0));
    t.truncate(4);
    assertEquals(expected.substring(0, 4), t.toString());
    assertThrows(IndexOutOfBoundsException.class, () -> t.truncate(5));
  }
}
