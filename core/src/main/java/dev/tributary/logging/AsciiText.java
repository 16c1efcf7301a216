package dev.tributary.logging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable builder of text that holds only ASCII, one byte per character: what a log message
 * formatted from an ASCII pattern and ASCII arguments becomes. Its bytes are its UTF-8 encoding,
 * so the record's encoder copies them as they are, where a {@link StringBuilder}'s characters
 * would be copied out and encoded first.
 *
 * <p>Every way in keeps it ASCII: {@link #append(CharSequence, int, int)} refuses text with any
 * other character (and leaves the builder as it was), numbers and other builders' ranges are ASCII
 * by construction. An adapter that meets text it refuses formats the message the general way
 * instead.
 *
 * <p>Not thread safe: a builder belongs to one thread ({@link LogEventAccessor#message(Object,
 * AsciiText, StringBuilder, int)} hands out the calling thread's). One whose content no longer
 * changes may be read from several threads once safely published.
 */
public final class AsciiText implements CharSequence {

  private byte[] bytes;
  private int length;

  public AsciiText() {
    this(256);
  }

  public AsciiText(int capacity) {
    this.bytes = new byte[Math.max(16, capacity)];
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("index " + index + ", length " + length);
    }
    return (char) bytes[index];
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return toString().substring(start, end);
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }

  /** How many characters fit before the array has to grow. */
  public int capacity() {
    return bytes.length;
  }

  /** Empties the builder; its array is kept. */
  public void clear() {
    length = 0;
  }

  /** Cuts the text to its first {@code newLength} characters. */
  public void truncate(int newLength) {
    if (newLength < 0 || newLength > length) {
      throw new IndexOutOfBoundsException("length " + newLength + " of " + length);
    }
    length = newLength;
  }

  /**
   * Appends {@code s[from, to)} when all of it is ASCII and returns true; otherwise returns false
   * and leaves the text as it was.
   */
  public boolean append(CharSequence s, int from, int to) {
    int n = to - from;
    if (from < 0 || n < 0 || to > s.length()) {
      throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + s.length());
    }
    ensure(n);
    byte[] b = bytes;
    int at = length;
    int seen = 0;
    if (s instanceof String) {
      String str = (String) s;
      for (int i = 0; i < n; i++) {
        char c = str.charAt(from + i);
        seen |= c;
        b[at + i] = (byte) c;
      }
    } else {
      for (int i = 0; i < n; i++) {
        char c = s.charAt(from + i);
        seen |= c;
        b[at + i] = (byte) c;
      }
    }
    if (seen >= 0x80) {
      return false;
    }
    length = at + n;
    return true;
  }

  /** Appends all of {@code s} when it is ASCII; see {@link #append(CharSequence, int, int)}. */
  public boolean append(CharSequence s) {
    return append(s, 0, s.length());
  }

  /** Appends {@code c} when it is ASCII and returns true; otherwise returns false. */
  public boolean append(char c) {
    if (c >= 0x80) {
      return false;
    }
    ensure(1);
    bytes[length++] = (byte) c;
    return true;
  }

  /** Appends {@code text[from, to)}. */
  public void append(AsciiText text, int from, int to) {
    if (from < 0 || from > to || to > text.length) {
      throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + text.length);
    }
    int n = to - from;
    ensure(n);
    System.arraycopy(text.bytes, from, bytes, length, n);
    length += n;
  }

  /**
   * Appends {@code v} in decimal, as {@link Long#toString(long)} writes it. A value that fits an
   * {@code int} (a log call's usual argument) is written with 32-bit divisions and its digits
   * counted by compares: 7.2–8.1 ns for 4711, where the 64-bit loop took 10.6–12.5
   * ({@code EncodeBenchmark.asciiTextNumber}).
   */
  public void append(long v) {
    if ((int) v == v) {
      appendInt((int) v);
      return;
    }
    ensure(20);
    byte[] b = bytes;
    int at = length;
    if (v < 0) {
      b[at++] = '-';
    } else {
      v = -v; // counted in negatives, where Long.MIN_VALUE fits too
    }
    int digits = 1;
    for (long t = v; t <= -10; t /= 10) {
      digits++;
    }
    int end = at + digits;
    for (int p = end - 1; p >= at; p--) {
      b[p] = (byte) ('0' - (int) (v % 10));
      v /= 10;
    }
    length = end;
  }

  private void appendInt(int v) {
    ensure(11);
    byte[] b = bytes;
    int at = length;
    if (v < 0) {
      b[at++] = '-';
    } else {
      v = -v; // counted in negatives, where Integer.MIN_VALUE fits too
    }
    int end = at + digitsOfNegative(v);
    for (int p = end - 1; p >= at; p--) {
      int q = v / 10;
      b[p] = (byte) ('0' + (q * 10 - v));
      v = q;
    }
    length = end;
  }

  /** How many decimal digits {@code v <= 0} has. */
  private static int digitsOfNegative(int v) {
    return v > -10 ? 1 : v > -100 ? 2 : v > -1000 ? 3 : v > -10000 ? 4 : v > -100000 ? 5
        : v > -1000000 ? 6 : v > -10000000 ? 7 : v > -100000000 ? 8 : v > -1000000000 ? 9 : 10;
  }

  /** Copies characters {@code [from, to)} as bytes (their UTF-8 encoding) into {@code dst} at {@code at}. */
  public void getBytes(int from, int to, byte[] dst, int at) {
    if (from < 0 || from > to || to > length) {
      throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + length);
    }
    System.arraycopy(bytes, from, dst, at, to - from);
  }

  private void ensure(int n) {
    if (length + n > bytes.length) {
      long want = Math.max((long) length + n, 2L * bytes.length);
      if (want > Integer.MAX_VALUE - 16) {
        want = (long) length + n;
        if (want > Integer.MAX_VALUE - 16) {
          throw new OutOfMemoryError("text of " + want + " characters");
        }
      }
      bytes = Arrays.copyOf(bytes, (int) want);
    }
  }
}
