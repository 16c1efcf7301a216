package dev.tributary.internal.codec;

import dev.tributary.RecordFormatter;
import dev.tributary.RecordWriter;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Encodes one event, {@code [time, record]}, to msgpack in a reusable buffer.
 *
 * <p>Not thread safe: one instance per encoding thread. The hot path allocates nothing for the
 * usual value types (strings, boxed numbers, booleans, nested maps and lists). Value mapping:
 * strings, enums, UUIDs, {@code java.time} values and any other object go out as msgpack str (never
 * bin); integral numbers as the smallest int format, {@link BigInteger} beyond 64 bits as its
 * decimal str; {@code float}/{@code double}/{@link BigDecimal} as float32/float64 (a BigDecimal of
 * more than about 1,200 digits from its leading bits, see {@link #toDouble}); {@code byte[]}
 * as bin; maps, collections and arrays as map/array; {@link Optional} as its value or
 * nil. Cycles and nesting deeper than {@link #MAX_DEPTH} are replaced by a marker string and
 * counted in {@link #replacedValues()}, so a bad record neither hangs nor overflows the stack.
 *
 * <p>A record written by a {@link RecordFormatter} may name runs of its fields ({@link FieldBlocks}):
 * the encoder keeps the bytes of up to {@value #BLOCK_SLOTS} runs of up to {@value #BLOCK_MAX_BYTES}
 * bytes (16 KiB, made at the first run) and writes a run named again with one copy. The logging
 * adapters name their level, logger and thread fields so, and their static fields.
 * {@code LogbackAppenderBenchmark -p output=null -p loggers=1,1024} shows both ends: one logger, and
 * a thread that logs through 1,024 in turn, where no run is ever kept.
 */
public final class EventEncoder {

  /** Containers nested deeper than this are replaced by {@link #DEPTH_MARKER}. */
  public static final int MAX_DEPTH = 64;

  public static final String CYCLE_MARKER = "[cycle]";
  public static final String DEPTH_MARKER = "[max depth exceeded]";
  public static final String TO_STRING_FAILED_MARKER = "[toString failed]";

  private static final int KEEP_CAPACITY = 256 * 1024;

  /** Up to this many bits (about 1,200 digits) a BigDecimal is converted exactly by doubleValue(). */
  private static final int EXACT_DECIMAL_BITS = 4096;
  private static final BigDecimal LOG2_10 = new BigDecimal(
      "3.32192809488736234787031942948939017586483139302458061205475639581593477660862521585013974335937015");

  private final MsgpackBuffer out;
  private final boolean timeAsInteger;
  private final boolean legacy;
  private static final int RESERVED_FIELDS = 65535;
  private final Object[] path = new Object[MAX_DEPTH + 1];
  private int fields;
  private final Writer writer = new Writer();

  /** The record's writer: each field straight into {@link #out}, and runs of them kept and replayed. */
  private final class Writer implements RecordWriter, FieldBlocks {
    @Override
    public RecordWriter field(String key, String value) {
      out.writeString(key);
      if (value == null) {
        out.writeNil();
      } else {
        out.writeString(value);
      }
      fields++;
      return this;
    }

    @Override
    public RecordWriter field(String key, CharSequence value) {
      out.writeString(key);
      if (value == null) {
        out.writeNil();
      } else {
        out.writeCharSequence(value);
      }
      fields++;
      return this;
    }

    @Override
    public RecordWriter field(String key, long value) {
      out.writeString(key);
      out.writeLong(value);
      fields++;
      return this;
    }

    @Override
    public RecordWriter field(String key, double value) {
      out.writeString(key);
      out.writeDouble(value);
      fields++;
      return this;
    }

    @Override
    public RecordWriter field(String key, boolean value) {
      out.writeString(key);
      out.writeBoolean(value);
      fields++;
      return this;
    }

    @Override
    public RecordWriter field(String key, Object value) {
      out.writeString(key);
      writeValue(value);
      fields++;
      return this;
    }

    @Override
    public boolean replay(Object owner, String k1, String k2, String k3, String k4) {
      // strings keep their hash: equal names share a slot, where identity tells them apart
      int h = System.identityHashCode(owner) ^ Objects.hashCode(k1) * 31 ^ Objects.hashCode(k2) * 961
          ^ Objects.hashCode(k3) * 29791 ^ Objects.hashCode(k4) * 923521;
      int slot = (h * 0x9E3779B9) >>> (32 - BLOCK_SLOT_BITS);
      Object[] keys = blockKeys;
      if (keys == null) {
        keys = allocateBlocks();
      }
      int k = slot * BLOCK_NAMES;
      if (keys[k] == owner && keys[k + 1] == k1 && keys[k + 2] == k2 && keys[k + 3] == k3 && keys[k + 4] == k4) {
        int n = blockLengths[slot];
        out.checkRoom(n);
        out.writeRaw(blockBytes, slot * BLOCK_MAX_BYTES, n);
        fields += blockFields[slot];
        return true;
      }
      if (blockSeen[slot] != h) {
        // a run is kept the second time in a row its slot is asked for it: names that come round
        // only among many others cost a compare, never a copy that the next miss would overwrite
        blockSeen[slot] = h;
        recording = -1;
        return false;
      }
      recording = slot;
      recordingFrom = out.size();
      recordingFields = fields;
      pending[0] = owner;
      pending[1] = k1;
      pending[2] = k2;
      pending[3] = k3;
      pending[4] = k4;
      return false;
    }

    @Override
    public void endBlock() {
      int slot = recording;
      if (slot < 0) {
        return;
      }
      recording = -1;
      int n = out.size() - recordingFrom;
      if (n > BLOCK_MAX_BYTES) {
        return;
      }
      System.arraycopy(out.array(), recordingFrom, blockBytes, slot * BLOCK_MAX_BYTES, n);
      blockLengths[slot] = n;
      blockFields[slot] = fields - recordingFields;
      System.arraycopy(pending, 0, blockKeys, slot * BLOCK_NAMES, BLOCK_NAMES);
      Arrays.fill(pending, null);
    }
  }

  private static final int BLOCK_SLOT_BITS = 6;
  private static final int BLOCK_SLOTS = 1 << BLOCK_SLOT_BITS;
  private static final int BLOCK_NAMES = 5;
  private static final int BLOCK_MAX_BYTES = 256;
  /** The runs of fields kept by {@link Writer#replay}: made on first use, 16 KiB and their names. */
  private Object[] blockKeys;
  private byte[] blockBytes;
  private int[] blockLengths;
  private int[] blockFields;
  /** Per slot, the hash of the names it was last asked for and did not have. */
  private int[] blockSeen;
  private final Object[] pending = new Object[BLOCK_NAMES];
  private int recording = -1;
  private int recordingFrom;
  private int recordingFields;

  private Object[] allocateBlocks() {
    blockBytes = new byte[BLOCK_SLOTS * BLOCK_MAX_BYTES];
    blockLengths = new int[BLOCK_SLOTS];
    blockFields = new int[BLOCK_SLOTS];
    blockSeen = new int[BLOCK_SLOTS];
    blockKeys = new Object[BLOCK_SLOTS * BLOCK_NAMES];
    return blockKeys;
  }
  private int depth;
  private long replaced;

  /**
   * @param timeAsInteger send integer seconds instead of EventTime
   * @param legacy msgpack as fluentd v0.12 understands it: no str8, no bin (byte arrays go as str)
   */
  public EventEncoder(boolean timeAsInteger, boolean legacy) {
    this(timeAsInteger, legacy, Integer.MAX_VALUE - 16);
  }

  /**
   * @param maxEventBytes encoding stops with {@link EventTooLargeException} once the event passes
   *     this size (a few bytes of slack aside: the exact check is the caller's)
   */
  public EventEncoder(boolean timeAsInteger, boolean legacy, int maxEventBytes) {
    this.out = new MsgpackBuffer(1024, !legacy);
    this.timeAsInteger = timeAsInteger;
    this.legacy = legacy;
    out.limit(maxEventBytes);
  }

  /**
   * Encodes {@code [time, record]} into this encoder's buffer, replacing its previous content.
   * The result is valid until the next call: {@link #array()} and {@link #size()}.
   */
  public void encode(long seconds, int nanos, Map<String, ?> record) {
    beginEvent(seconds, nanos);
    if (record == null) {
      out.writeMapHeader(0);
    } else {
      writeMap(record);
    }
  }

  /**
   * Encodes {@code [time, record]} with the record's fields written by {@code formatter}. The map
   * header is reserved as map16 or map32 and filled in with the count afterwards.
   */
  public <T> void encode(long seconds, int nanos, T source, RecordFormatter<? super T> formatter) {
    beginEvent(seconds, nanos);
    int headerAt = out.size();
    out.writeMapHeader(RESERVED_FIELDS);
    fields = 0;
    formatter.format(source, writer);
    if (fields > RESERVED_FIELDS) {
      throw new IllegalStateException("a record may have at most " + RESERVED_FIELDS + " fields");
    }
    out.patchMapHeader(headerAt, RESERVED_FIELDS, fields);
  }

  /** Starts a new event in the buffer: the entry's array header and its time. */
  private void beginEvent(long seconds, int nanos) {
    clear();
    out.writeArrayHeader(2);
    if (timeAsInteger) {
      out.writeLong(seconds);
    } else {
      out.writeEventTime(seconds, nanos);
    }
  }

  private void clear() {
    if (out.array().length > KEEP_CAPACITY) {
      out.shrinkTo(KEEP_CAPACITY);
    }
    out.reset();
    while (depth > 0) {
      path[--depth] = null; // left over by an event whose encoding was cut short
    }
  }

  /**
   * Starts an event whose record is written piece by piece into {@link #buffer()} (the fluent
   * event builder's path): the entry's array header and room for the time, which {@link
   * #patchTime} fills in once it is known. Integer time is then always a 5-byte uint32.
   */
  public void beginOpenEvent() {
    clear();
    out.writeArrayHeader(2);
    out.skip(timeAsInteger ? 5 : 10);
  }

  /** Fills in the time of an event started by {@link #beginOpenEvent()}. */
  public void patchTime(long seconds, int nanos) {
    if (timeAsInteger) {
      out.putUint32At(1, seconds); // after the one-byte array header
    } else {
      out.putEventTimeAt(1, seconds, nanos);
    }
  }

  /** The buffer an event started by {@link #beginOpenEvent()} is written into. */
  public MsgpackBuffer buffer() {
    return out;
  }

  /** Writes one value by the rules of {@link #encode(long, int, Map)} (cycles, depth, markers). */
  public void value(Object v) {
    writeValue(v);
  }

  public byte[] array() {
    return out.array();
  }

  public int size() {
    return out.size();
  }

  /** Values replaced by a marker (cycles, depth, failing toString) since this encoder was made. */
  public long replacedValues() {
    return replaced;
  }

  /** The types of nearly every logged value, kept small so the JIT inlines it. */
  private void writeValue(Object v) {
    if (v instanceof String) {
      out.writeString((String) v);
    } else if (v instanceof Integer) {
      out.writeLong((Integer) v);
    } else if (v instanceof Long) {
      out.writeLong((Long) v);
    } else {
      writeOtherValue(v);
    }
  }

  private void writeOtherValue(Object v) {
    if (v == null) {
      out.writeNil();
    } else if (v instanceof Short || v instanceof Byte) {
      out.writeLong(((Number) v).longValue());
    } else if (v instanceof Boolean) {
      out.writeBoolean((Boolean) v);
    } else if (v instanceof Double) {
      out.writeDouble((Double) v);
    } else if (v instanceof Float) {
      out.writeFloat((Float) v);
    } else if (v instanceof Map) {
      writeMap((Map<?, ?>) v);
    } else if (v instanceof Collection) {
      writeCollection((Collection<?>) v);
    } else if (v instanceof byte[]) {
      byte[] b = (byte[]) v;
      if (legacy) {
        out.writeStringHeader(b.length);
        out.writeRaw(b, 0, b.length);
      } else {
        out.writeBinary(b, 0, b.length);
      }
    } else if (v instanceof Number) {
      writeOtherNumber((Number) v);
    } else if (v.getClass().isArray()) {
      writeArray(v);
    } else if (v instanceof Enum) {
      out.writeString(((Enum<?>) v).name());
    } else if (v instanceof Character) {
      out.writeString(v.toString());
    } else if (v instanceof AtomicBoolean) {
      out.writeBoolean(((AtomicBoolean) v).get());
    } else if (v instanceof Optional) {
      Object inner = v;
      while (inner instanceof Optional) { // unwrapped in a loop: an Optional cannot contain itself
        inner = ((Optional<?>) inner).orElse(null);
      }
      writeValue(inner);
    } else if (v instanceof OptionalInt) {
      OptionalInt o = (OptionalInt) v;
      writeNullable(o.isPresent() ? o.getAsInt() : null);
    } else if (v instanceof OptionalLong) {
      OptionalLong o = (OptionalLong) v;
      writeNullable(o.isPresent() ? o.getAsLong() : null);
    } else if (v instanceof OptionalDouble) {
      OptionalDouble o = (OptionalDouble) v;
      writeNullable(o.isPresent() ? o.getAsDouble() : null);
    } else if (v instanceof Date) {
      out.writeString(Instant.ofEpochMilli(((Date) v).getTime()).toString());
    } else {
      writeToString(v); // java.time values too: their toString() is ISO-8601
    }
  }

  private void writeNullable(Object v) {
    writeValue(v);
  }

  private void writeOtherNumber(Number n) {
    if (n instanceof BigInteger) {
      BigInteger b = (BigInteger) n;
      int bits = b.bitLength();
      if (bits < 64) {
        out.writeLong(b.longValue());
      } else if (bits == 64 && b.signum() > 0) {
        out.writeUnsignedLong(b.longValue());
      } else {
        // its decimal string has at least bitLength * log10(2) digits: refuse before making it
        out.checkRoom((long) (b.bitLength() * 0.30103));
        out.writeString(b.toString());
      }
    } else if (n instanceof BigDecimal) {
      out.writeDouble(toDouble((BigDecimal) n));
    } else if (n instanceof AtomicInteger || n instanceof AtomicLong
        || n instanceof java.util.concurrent.atomic.LongAdder
        || n instanceof java.util.concurrent.atomic.LongAccumulator) {
      out.writeLong(n.longValue());
    } else {
      // DoubleAdder and unknown Number subclasses: keep them numeric
      out.writeDouble(n.doubleValue());
    }
  }

  /**
   * {@link BigDecimal#doubleValue()}, but without its conversion through a decimal string when the
   * unscaled value is long: that costs the caller seconds for a few million digits. Such a value
   * is converted from its leading 63 bits and its power of ten, to within a few units in the last
   * place: beyond float64's range it is ±Infinity, below it ±0.0, as {@code doubleValue()} says.
   */
  static double toDouble(BigDecimal d) {
    BigInteger unscaled = d.unscaledValue();
    int bits = unscaled.bitLength();
    if (bits <= EXACT_DECIMAL_BITS) {
      return d.doubleValue();
    }
    // d = top * 2^shift * 10^-scale = top * 2^x, with x = shift - scale * log2(10)
    int shift = bits - 63;
    long top = unscaled.abs().shiftRight(shift).longValue();
    BigDecimal x = LOG2_10.multiply(BigDecimal.valueOf(-(long) d.scale())).add(BigDecimal.valueOf(shift));
    BigDecimal whole = x.setScale(0, RoundingMode.FLOOR);
    double fraction = x.subtract(whole).doubleValue();
    long exponent = Math.max(-4096, Math.min(4096, whole.longValue()));
    double magnitude = Math.scalb(top * Math.pow(2, fraction), (int) exponent);
    return unscaled.signum() < 0 ? -magnitude : magnitude;
  }

  private void writeToString(Object v) {
    String s;
    try {
      s = String.valueOf(v);
    } catch (RuntimeException | StackOverflowError e) {
      replaced++;
      s = TO_STRING_FAILED_MARKER;
    }
    out.writeString(s == null ? "null" : s); // a toString() that returns null, as String.valueOf(null) reads
  }

  private boolean enter(Object container) {
    if (depth >= MAX_DEPTH) {
      replaced++;
      out.writeString(DEPTH_MARKER);
      return false;
    }
    for (int i = 0; i < depth; i++) {
      if (path[i] == container) {
        replaced++;
        out.writeString(CYCLE_MARKER);
        return false;
      }
    }
    path[depth++] = container;
    return true;
  }

  private void exit() {
    path[--depth] = null;
  }

  private void writeMap(Map<?, ?> m) {
    if (!enter(m)) {
      return;
    }
    try {
      int expected = m.size();
      int headerAt = out.size();
      out.writeMapHeader(expected);
      if (m instanceof Fields) { // the filters' record: confined to this thread, read by position
        Fields f = (Fields) m;
        for (int i = 0; i < expected; i++) {
          writeKey(f.keyAt(i));
          writeValue(f.valueAt(i));
        }
        return;
      }
      int written = 0;
      // a concurrently modified map may yield more or fewer entries than size() said
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (written == expected) {
          break;
        }
        writeKey(e.getKey());
        writeValue(e.getValue());
        written++;
      }
      if (written != expected) {
        out.patchMapHeader(headerAt, expected, written);
      }
    } finally {
      exit();
    }
  }

  private void writeKey(Object k) {
    if (k instanceof String) {
      out.writeString((String) k);
    } else {
      writeToString(k);
    }
  }

  private void writeCollection(Collection<?> c) {
    if (!enter(c)) {
      return;
    }
    try {
      int expected = c.size();
      int headerAt = out.size();
      out.writeArrayHeader(expected);
      int written = 0;
      // a concurrently modified collection may yield more or fewer elements than size() said
      for (Object o : c) {
        if (written == expected) {
          break;
        }
        writeValue(o);
        written++;
      }
      if (written != expected) {
        out.patchMapHeader(headerAt, expected, written);
        if (expected < 16) {
          out.array()[headerAt] = (byte) (0x90 | written);
        }
      }
    } finally {
      exit();
    }
  }

  private void writeArray(Object array) {
    if (array instanceof char[]) {
      out.writeString(new String((char[]) array));
      return;
    }
    if (!enter(array)) {
      return;
    }
    try {
      int n = Array.getLength(array);
      out.writeArrayHeader(n);
      if (array instanceof Object[]) {
        for (Object o : (Object[]) array) {
          writeValue(o);
        }
      } else if (array instanceof int[]) {
        for (int x : (int[]) array) {
          out.writeLong(x);
        }
      } else if (array instanceof long[]) {
        for (long x : (long[]) array) {
          out.writeLong(x);
        }
      } else if (array instanceof double[]) {
        for (double x : (double[]) array) {
          out.writeDouble(x);
        }
      } else if (array instanceof float[]) {
        for (float x : (float[]) array) {
          out.writeFloat(x);
        }
      } else if (array instanceof boolean[]) {
        for (boolean x : (boolean[]) array) {
          out.writeBoolean(x);
        }
      } else if (array instanceof short[]) {
        for (short x : (short[]) array) {
          out.writeLong(x);
        }
      } else {
        for (int i = 0; i < n; i++) {
          writeValue(Array.get(array, i));
        }
      }
    } finally {
      exit();
    }
  }

}
