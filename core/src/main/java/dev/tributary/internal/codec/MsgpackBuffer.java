package dev.tributary.internal.codec;

import dev.tributary.logging.AsciiText;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array with msgpack writers for the hot path.
 *
 * <p>Not thread safe: each encoding thread owns one (see {@link EventEncoder}). Writing allocates
 * only when the array has to grow; strings are encoded to UTF-8 in place, without an intermediate
 * {@code byte[]}. msgpack-core's packer stays the decoder of record; this writer exists because
 * the packer's per-call overhead dominated {@code emit()} in the benchmarks.
 */
public final class MsgpackBuffer {

  private byte[] buf;
  private int pos;
  private final boolean str8;
  private static final int MAX_SCRATCH_CHARS = 16 * 1024;
  private char[] chars = new char[256];
  private CharBuffer charView = CharBuffer.wrap(chars);
  private ByteBuffer byteView;
  private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder();
  /**
   * The string cache: {@value #CACHE_SETS} sets of two ways; each way holds one string instance
   * and its encoding (header and UTF-8 body, at most {@value #CACHE_STRIDE} bytes) at {@code way *
   * CACHE_STRIDE} in one flat array, 8 KiB in all.
   */
  private static final int CACHE_SET_BITS = 6;
  private static final int CACHE_SETS = 1 << CACHE_SET_BITS;
  private static final int CACHE_STRIDE = 64;
  /** Strings longer than this are not looked up: their encoding could not fit a way. */
  private static final int CACHED_MAX_CHARS = CACHE_STRIDE - 2;
  /**
   * From this length on, text is narrowed by the JDK's encoder after a copy, not by a loop here:
   * measured on 8 to 64 ASCII chars, the encoder's call costs about 13 ns and its loop little, the
   * loop here about 0.25 ns a char, and they cross between 16 and 32.
   */
  private static final int ENCODER_MIN_CHARS = 24;
  private final String[] cacheKeys = new String[CACHE_SETS * 2];
  private final byte[] cacheBytes = new byte[CACHE_SETS * 2 * CACHE_STRIDE];
  private final int[] cacheLengths = new int[CACHE_SETS * 2];
  /** Per set, the way the next miss replaces. */
  private final byte[] cacheVictim = new byte[CACHE_SETS];
  private int limit = Integer.MAX_VALUE - 16;

  /**
   * @param initialCapacity starting size of the array
   * @param str8 whether the str8 format ({@code 0xd9}) may be used; msgpack before 2013 (fluentd
   *     v0.12 peers) does not know it
   */
  public MsgpackBuffer(int initialCapacity, boolean str8) {
    this.buf = new byte[Math.max(16, initialCapacity)];
    this.str8 = str8;
  }

  /**
   * Stops encoding with {@link EventTooLargeException} as soon as the content would pass {@code
   * max} bytes (checked when the array grows and before a long string is measured), so a huge
   * value costs no more than the limit.
   */
  public void limit(int max) {
    this.limit = Math.max(16, max);
  }

  /** Throws {@link EventTooLargeException} if {@code bytes} more would pass the limit. */
  public void checkRoom(long bytes) {
    if (bytes > limit - pos) {
      throw EventTooLargeException.INSTANCE;
    }
  }

  public byte[] array() {
    return buf;
  }

  public int size() {
    return pos;
  }

  public void reset() {
    pos = 0;
  }

  /** Drops a grown array once it is larger than {@code max}, so one huge event does not pin memory. */
  public void shrinkTo(int max) {
    if (buf.length > max) {
      buf = new byte[max];
    }
    pos = 0;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      grow(n);
    }
  }

  private void grow(int n) {
    long needed = (long) pos + n;
    if (needed > limit) {
      throw EventTooLargeException.INSTANCE;
    }
    int cap = (int) Math.min((long) limit + 16, Math.max(needed, (long) buf.length * 2));
    buf = Arrays.copyOf(buf, cap);
  }

  public void writeNil() {
    ensure(1);
    buf[pos++] = (byte) 0xc0;
  }

  public void writeBoolean(boolean v) {
    ensure(1);
    buf[pos++] = (byte) (v ? 0xc3 : 0xc2);
  }

  public void writeArrayHeader(int n) {
    ensure(5);
    if (n < 16) {
      buf[pos++] = (byte) (0x90 | n);
    } else if (n < 65536) {
      buf[pos++] = (byte) 0xdc;
      putShort(n);
    } else {
      buf[pos++] = (byte) 0xdd;
      putInt(n);
    }
  }

  public void writeMapHeader(int n) {
    ensure(5);
    if (n < 16) {
      buf[pos++] = (byte) (0x80 | n);
    } else if (n < 65536) {
      buf[pos++] = (byte) 0xde;
      putShort(n);
    } else {
      buf[pos++] = (byte) 0xdf;
      putInt(n);
    }
  }

  /** Overwrites a map header written earlier at {@code at} with a count that needs the same size. */
  public void patchMapHeader(int at, int reservedCount, int actualCount) {
    if (reservedCount < 16) {
      buf[at] = (byte) (0x80 | actualCount);
    } else if (reservedCount < 65536) {
      buf[at + 1] = (byte) (actualCount >>> 8);
      buf[at + 2] = (byte) actualCount;
    } else {
      buf[at + 1] = (byte) (actualCount >>> 24);
      buf[at + 2] = (byte) (actualCount >>> 16);
      buf[at + 3] = (byte) (actualCount >>> 8);
      buf[at + 4] = (byte) actualCount;
    }
  }

  /** Moves past {@code n} bytes that a {@code put...At} method fills in later. */
  public void skip(int n) {
    ensure(n);
    pos += n;
  }

  /** Writes an EventTime (as {@link #writeEventTime}) over the 10 bytes at {@code at}. */
  public void putEventTimeAt(int at, long seconds, int nanos) {
    SHORT.set(buf, at, (short) 0xd700);
    LONG.set(buf, at + 2, (seconds << 32) | (nanos & 0xFFFF_FFFFL));
  }

  /** Writes {@code v} (0..2^32-1) as a uint32, always 5 bytes, over the bytes at {@code at}. */
  public void putUint32At(int at, long v) {
    buf[at] = (byte) 0xce;
    INT.set(buf, at + 1, (int) v);
  }

  public void writeLong(long v) {
    if (v >= 0 && v < 128 && pos < buf.length) {
      buf[pos++] = (byte) v;
      return;
    }
    writeLongSlow(v);
  }

  private void writeLongSlow(long v) {
    ensure(9);
    if (v >= 0) {
      if (v < 128) {
        buf[pos++] = (byte) v;
      } else if (v < 256) {
        buf[pos++] = (byte) 0xcc;
        buf[pos++] = (byte) v;
      } else if (v < 65536) {
        buf[pos++] = (byte) 0xcd;
        putShort((int) v);
      } else if (v < 0x1_0000_0000L) {
        buf[pos++] = (byte) 0xce;
        putInt((int) v);
      } else {
        buf[pos++] = (byte) 0xcf;
        putLong(v);
      }
    } else {
      if (v >= -32) {
        buf[pos++] = (byte) v;
      } else if (v >= -128) {
        buf[pos++] = (byte) 0xd0;
        buf[pos++] = (byte) v;
      } else if (v >= -32768) {
        buf[pos++] = (byte) 0xd1;
        putShort((int) v);
      } else if (v >= Integer.MIN_VALUE) {
        buf[pos++] = (byte) 0xd2;
        putInt((int) v);
      } else {
        buf[pos++] = (byte) 0xd3;
        putLong(v);
      }
    }
  }

  /** Writes an unsigned 64-bit integer given as its two's-complement bits (uint64 format). */
  public void writeUnsignedLong(long bits) {
    ensure(9);
    buf[pos++] = (byte) 0xcf;
    putLong(bits);
  }

  public void writeFloat(float v) {
    ensure(5);
    buf[pos++] = (byte) 0xca;
    putInt(Float.floatToRawIntBits(v));
  }

  public void writeDouble(double v) {
    ensure(9);
    buf[pos++] = (byte) 0xcb;
    putLong(Double.doubleToRawLongBits(v));
  }

  public void writeBinary(byte[] b, int off, int len) {
    writeBinaryHeader(len);
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  public void writeBinaryHeader(int len) {
    ensure(5);
    if (len < 256) {
      buf[pos++] = (byte) 0xc4;
      buf[pos++] = (byte) len;
    } else if (len < 65536) {
      buf[pos++] = (byte) 0xc5;
      putShort(len);
    } else {
      buf[pos++] = (byte) 0xc6;
      putInt(len);
    }
  }

  /** Writes the forward protocol's EventTime: fixext8, ext type 0, seconds and nanoseconds as u32. */
  public void writeEventTime(long seconds, int nanos) {
    ensure(10);
    SHORT.set(buf, pos, (short) 0xd700);
    LONG.set(buf, pos + 2, (seconds << 32) | (nanos & 0xFFFF_FFFFL));
    pos += 10;
  }

  public void writeStringHeader(int byteLen) {
    ensure(5);
    if (byteLen < 32) {
      buf[pos++] = (byte) (0xa0 | byteLen);
    } else if (byteLen < 256 && str8) {
      buf[pos++] = (byte) 0xd9;
      buf[pos++] = (byte) byteLen;
    } else if (byteLen < 65536) {
      buf[pos++] = (byte) 0xda;
      putShort(byteLen);
    } else {
      buf[pos++] = (byte) 0xdb;
      putInt(byteLen);
    }
  }

  private int headerSize(int byteLen) {
    if (byteLen < 32) {
      return 1;
    } else if (byteLen < 256 && str8) {
      return 2;
    } else if (byteLen < 65536) {
      return 3;
    }
    return 5;
  }

  /**
   * Writes {@code s} as a msgpack str in UTF-8. One pass for ASCII text (the common case); text
   * with other characters is measured first. Unpaired surrogates become {@code '?'}, as the JDK's
   * own encoder does.
   */
  public void writeString(String s) {
    int len = s.length();
    if (len > limit - pos) {
      throw EventTooLargeException.INSTANCE; // a char is at least one byte in UTF-8
    }
    if (len <= CACHED_MAX_CHARS) {
      writeShortString(s, len);
      return;
    }
    writeStringUncached(s, len);
  }

  /**
   * Short strings in logging records are mostly the same instances again and again (keys, level,
   * logger and thread names), so their encoding is kept in a small two-way set-associative cache
   * keyed by identity: two strings that meet in one set both stay. A hit is one copy of a fixed
   * size; a miss encodes as usual and copies the result into the set's older way, so a stream of
   * distinct short strings allocates nothing either.
   */
  private void writeShortString(String s, int len) {
    int way = (s.hashCode() * 0x9E3779B9) >>> (32 - CACHE_SET_BITS) << 1;
    String[] keys = cacheKeys;
    if (keys[way] != s && keys[++way] != s) {
      cacheMiss(s, len, way >> 1);
      return;
    }
    int n = cacheLengths[way];
    int p = pos;
    byte[] b = buf;
    int from = way * CACHE_STRIDE;
    if (n <= 16 && p + 16 <= b.length) {
      // most keys and short values: two words, no call; the bytes past n are scratch
      byte[] c = cacheBytes;
      WORD.set(b, p, (long) WORD.get(c, from));
      WORD.set(b, p + 8, (long) WORD.get(c, from + 8));
    } else if (p + CACHE_STRIDE <= b.length) {
      // the whole way: a copy of constant length, cheaper than one of n; bytes past n are scratch
      System.arraycopy(cacheBytes, from, b, p, CACHE_STRIDE);
    } else {
      ensure(n);
      System.arraycopy(cacheBytes, way * CACHE_STRIDE, buf, pos, n);
    }
    pos += n;
  }

  private void cacheMiss(String s, int len, int set) {
    int start = pos;
    writeStringUncached(s, len);
    int n = pos - start;
    if (n > CACHE_STRIDE) {
      return; // multi-byte text whose encoding does not fit a way
    }
    int way = (set << 1) | cacheVictim[set];
    cacheVictim[set] ^= 1;
    System.arraycopy(buf, start, cacheBytes, way * CACHE_STRIDE, n);
    cacheLengths[way] = n;
    cacheKeys[way] = s;
  }

  /**
   * Text of {@link #ENCODER_MIN_CHARS} chars or more (up to the scratch array's limit) is copied
   * into the scratch array with {@code getChars} and written by {@link #writeScratch}: two passes
   * the JDK vectorises. Shorter text, and text past the limit, is narrowed char by char into the
   * place the header leaves for it and or-ed into one check: a loop with no exit, which the JIT
   * unrolls better than one that stops at the first char that is not ASCII. Text that was not
   * ASCII is written again the measured way.
   */
  private void writeStringUncached(String s, int len) {
    if (len >= ENCODER_MIN_CHARS && len <= MAX_SCRATCH_CHARS) {
      s.getChars(0, len, scratch(len), 0);
      writeScratch(s, len);
      return;
    }
    ensure(5 + len);
    int start = pos;
    int body = start + headerSize(len);
    byte[] b = buf;
    int seen = 0;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      seen |= c;
      b[body + i] = (byte) c;
    }
    if (seen < 0x80) {
      writeStringHeader(len);
      pos = body + len;
      return;
    }
    writeStringSlow(s);
  }

  private char[] scratch(int len) {
    if (len > chars.length) {
      chars = new char[Math.min(MAX_SCRATCH_CHARS, Math.max(len, chars.length * 2))];
      charView = CharBuffer.wrap(chars);
    }
    return chars;
  }

  /**
   * Encodes the {@code len} characters in the scratch array, taken from {@code s}. The JDK's UTF-8
   * encoder narrows ASCII with a vectorised intrinsic, several times faster than a loop here; its
   * output is as long as the input exactly when the text is ASCII, which is when the header
   * written for {@code len} is right. Anything else is encoded again the measured way.
   */
  private void writeScratch(CharSequence s, int len) {
    int start = pos;
    ensure(5 + len);
    int body = start + headerSize(len);
    if (byteView == null || byteView.array() != buf) {
      byteView = ByteBuffer.wrap(buf);
    }
    CharBuffer in = charView;
    in.clear();
    in.limit(len);
    ByteBuffer out = byteView;
    out.clear();
    out.position(body);
    utf8.reset();
    CoderResult r = utf8.encode(in, out, true);
    if (r.isUnderflow() && out.position() - body == len) {
      writeStringHeader(len);
      pos = body + len;
      return;
    }
    pos = start;
    writeStringSlow(s);
  }

  /** Writes any character sequence (a {@code StringBuilder}, say) as a str, without a String. */
  public void writeCharSequence(CharSequence cs) {
    if (cs instanceof String) {
      writeString((String) cs);
      return;
    }
    if (cs instanceof AsciiText) {
      writeAscii((AsciiText) cs);
      return;
    }
    int len = cs.length();
    if (len > limit - pos) {
      throw EventTooLargeException.INSTANCE;
    }
    if (len > MAX_SCRATCH_CHARS) {
      writeStringSlow(cs);
      return;
    }
    char[] c = scratch(len);
    if (cs instanceof StringBuilder) {
      ((StringBuilder) cs).getChars(0, len, c, 0);
    } else {
      for (int i = 0; i < len; i++) {
        c[i] = cs.charAt(i);
      }
    }
    writeScratch(cs, len);
  }

  /** ASCII text is its own UTF-8: a header and one copy. */
  private void writeAscii(AsciiText t) {
    int len = t.length();
    if (len > limit - pos) {
      throw EventTooLargeException.INSTANCE;
    }
    writeStringHeader(len);
    ensure(len);
    t.getBytes(0, len, buf, pos);
    pos += len;
  }

  private void writeStringSlow(CharSequence s) {
    int byteLen = utf8Length(s);
    writeStringHeader(byteLen);
    ensure(byteLen);
    int p = pos;
    byte[] b = buf;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xf0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(c)) {
        b[p++] = (byte) '?';
      } else {
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    pos = p;
  }

  public static int utf8Length(CharSequence s) {
    int len = s.length();
    int n = 0;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Writes pre-encoded UTF-8 bytes as a str. */
  public void writeUtf8(byte[] utf8) {
    writeStringHeader(utf8.length);
    writeRaw(utf8, 0, utf8.length);
  }

  public void writeRaw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /** Eight bytes copied as they are: no byte order to honour. */
  private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private void putShort(int v) {
    SHORT.set(buf, pos, (short) v);
    pos += 2;
  }

  private void putInt(int v) {
    INT.set(buf, pos, v);
    pos += 4;
  }

  private void putLong(long v) {
    LONG.set(buf, pos, v);
    pos += 8;
  }
}
