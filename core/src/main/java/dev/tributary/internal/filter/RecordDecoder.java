package dev.tributary.internal.filter;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads back a record that the event builder wrote as msgpack, so that filters can see it: maps
 * as record maps (in field order), arrays as {@code ArrayList}, str as {@code String}, bin as {@code
 * byte[]}, integers as {@code Long} (a uint64 past {@code Long.MAX_VALUE} as {@code BigInteger}),
 * float32 as {@code Float}, float64 as {@code Double}. Encoding the result again gives the same
 * bytes. Stateless, thread safe.
 */
public final class RecordDecoder {

  private final byte[] b;
  private int pos;

  private RecordDecoder(byte[] b, int pos) {
    this.b = b;
    this.pos = pos;
  }

  /**
   * The map at {@code offset} of {@code bytes}.
   *
   * @throws IllegalArgumentException if there is no map there, or a format this decoder does not read
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> decodeMap(byte[] bytes, int offset) {
    Object v = new RecordDecoder(bytes, offset).value();
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("not a map at " + offset);
    }
    return (Map<String, Object>) v;
  }

  /** Seconds of the time the event builder patched in at {@code offset}: a uint32 or an EventTime. */
  public static long seconds(byte[] bytes, int offset) {
    int tag = bytes[offset] & 0xff;
    return tag == 0xce ? readInt(bytes, offset + 1) & 0xFFFF_FFFFL : readInt(bytes, offset + 2) & 0xFFFF_FFFFL;
  }

  /** Nanoseconds of the time at {@code offset}; 0 for integer time. */
  public static int nanos(byte[] bytes, int offset) {
    int tag = bytes[offset] & 0xff;
    return tag == 0xce ? 0 : readInt(bytes, offset + 6);
  }

  private Object value() {
    int t = b[pos++] & 0xff;
    if (t <= 0x7f) {
      return (long) t;
    }
    if (t >= 0xe0) {
      return (long) (byte) t;
    }
    if (t >= 0x80 && t <= 0x8f) {
      return map(t & 0x0f);
    }
    if (t >= 0x90 && t <= 0x9f) {
      return array(t & 0x0f);
    }
    if (t >= 0xa0 && t <= 0xbf) {
      return string(t & 0x1f);
    }
    switch (t) {
      case 0xc0: return null;
      case 0xc2: return Boolean.FALSE;
      case 0xc3: return Boolean.TRUE;
      case 0xc4: return bin(u8());
      case 0xc5: return bin(u16());
      case 0xc6: return bin(u32());
      case 0xca: return Float.intBitsToFloat(i32());
      case 0xcb: return Double.longBitsToDouble(i64());
      case 0xcc: return (long) u8();
      case 0xcd: return (long) u16();
      case 0xce: return i32() & 0xFFFF_FFFFL;
      case 0xcf: {
        long v = i64();
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
      }
      case 0xd0: return (long) b[pos++];
      case 0xd1: return (long) (short) u16();
      case 0xd2: return (long) i32();
      case 0xd3: return i64();
      case 0xd9: return string(u8());
      case 0xda: return string(u16());
      case 0xdb: return string(u32());
      case 0xdc: return array(u16());
      case 0xdd: return array(u32());
      case 0xde: return map(u16());
      case 0xdf: return map(u32());
      default:
        throw new IllegalArgumentException("msgpack format 0x" + Integer.toHexString(t) + " is not read here");
    }
  }

  private Map<Object, Object> map(int n) {
    @SuppressWarnings("unchecked")
    Map<Object, Object> m = (Map<Object, Object>) (Map<?, ?>) Records.newRecord(n + 4);
    for (int i = 0; i < n; i++) {
      Object k = value();
      m.put(k, value());
    }
    return m;
  }

  private List<Object> array(int n) {
    List<Object> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(value());
    }
    return l;
  }

  private String string(int len) {
    String s = new String(b, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  private byte[] bin(int len) {
    byte[] a = new byte[len];
    System.arraycopy(b, pos, a, 0, len);
    pos += len;
    return a;
  }

  private int u8() {
    return b[pos++] & 0xff;
  }

  private int u16() {
    int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  private int u32() {
    int v = i32();
    if (v < 0) {
      throw new IllegalArgumentException("length beyond 2 GiB");
    }
    return v;
  }

  private int i32() {
    int v = readInt(b, pos);
    pos += 4;
    return v;
  }

  private long i64() {
    long v = ((long) readInt(b, pos) << 32) | (readInt(b, pos + 4) & 0xFFFF_FFFFL);
    pos += 8;
    return v;
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }
}
