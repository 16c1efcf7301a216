package dev.tributary;

import dev.tributary.internal.codec.EventEncoder;
import dev.tributary.internal.codec.EventTooLargeException;
import dev.tributary.internal.codec.MsgpackBuffer;
import dev.tributary.internal.report.SafeListener;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One event written field by field, typed, straight into its msgpack encoding: no {@code Map}, no
 * boxing. Got from {@link Tributary#event(String)}, finished by {@link #emit()}.
 *
 * <pre>{@code
 * tributary.event("app.orders")
 *     .put("id", 42)
 *     .put("amount", 9.99)
 *     .put("currency", "EUR")
 *     .put("paid", true)
 *     .putMap("user", u -> u.put("id", 7).put("name", "ada"))
 *     .beginArray("items").add("book").add(3).endArray()
 *     .emit();
 * }</pre>
 *
 * <p><b>Thread confinement, ownership.</b> Each thread has one builder, reused for every event it
 * builds, so the steady state allocates nothing. {@code event(tag)} borrows one of the
 * instance's pooled encoders (as {@code emit} does for the length of its call) and {@code emit()}
 * gives it back; in between the builder owns it. Use the builder only on the thread that called
 * {@code event(tag)}, and keep no reference to it after {@code emit()}: the next {@code event(tag)}
 * on the thread returns the same object for a new event. A method called on another thread throws
 * {@link IllegalStateException} at once and writes nothing.
 *
 * <p><b>Values</b> follow the rules of {@link Tributary#emit(String, java.util.Map)}: {@code int}
 * and {@code long} as msgpack integers, {@code double} as float64, {@code float} as float32,
 * {@code boolean}, {@code char} and text as str (null as nil), {@code byte[]} as bin, and through
 * {@link #put(String, Object)} anything {@code emit} takes (nested {@code Map}s, collections,
 * arrays, {@code java.time} values ...). Nested maps and arrays are written in place with {@link
 * #beginMap(String)} / {@link #endMap()} and {@link #beginArray(String)} / {@link #add(long)} /
 * {@link #endArray()}, or {@link #putMap(String, Consumer)} / {@link #putArray(String, Consumer)};
 * {@link #emit()} closes what is still open. The time is {@link #time(EventTime)}, or the clock's
 * now at {@code emit()}.
 *
 * <p><b>Misuse</b>, each defined:
 * <ul>
 *   <li>{@code event(tag)} while this thread's previous event is still open: the open event is
 *       discarded, counted as emitted and dropped as {@link DropReason#INVALID}, and the builder
 *       starts the new one. (Called from code that runs while a value is written, a {@code
 *       toString()} or a {@code putMap} function, {@code event(tag)} returns a separate builder
 *       instead, so the outer event is not disturbed.)
 *   <li>any method after {@code emit()} (before the next {@code event(tag)}): {@link
 *       IllegalStateException}.
 *   <li>the same key twice in one map: {@link IllegalArgumentException} from that {@code put},
 *       nothing written, the event stays open. msgpack would carry both and Fluentd keep the
 *       last; the check is cheap but covers the first 64 keys of an event only (keys of its
 *       nested maps included), beyond which keys are not checked.
 *   <li>the builder used on another thread: {@link IllegalStateException}, nothing written.
 *   <li>{@code put} inside an array, {@code add} inside a map, {@code endMap} with no nested map
 *       open, nesting deeper than 64, more than 65,535 entries in one map or array: {@link
 *       IllegalStateException}, nothing written, the event stays open.
 *   <li>an event larger than {@code maxEventBytes}: writing stops at the limit, later calls write
 *       nothing, and {@code emit()} drops it as {@link DropReason#TOO_LARGE}. A value that cannot be
 *       written at all (a map changed while read) likewise drops the event as {@code INVALID} at
 *       {@code emit()}; an exception thrown by a {@code putMap} function drops it as {@code
 *       INVALID} and goes on to the caller.
 * </ul>
 * None of these leaves a partial event in a chunk. {@code emit()} throws only {@link
 * IllegalStateException} (no open event, another thread, or called inside a {@code putMap}
 * function) and {@link BufferFullException} under {@link OverflowPolicy#THROW}.
 *
 * <p><b>An abandoned builder</b> (an event never emitted, say after an exception) keeps its
 * encoder, a buffer of about 1 KiB to {@code maxEventBytes} plus its small string cache, and a
 * reference to its {@link Tributary}, until the thread calls {@code event(tag)} again (which
 * counts the abandoned event as {@code INVALID}) or ends. The pool does not wait for it: a thread
 * that finds no free encoder makes one.
 */
public final class EventBuilder {

  private static final ThreadLocal<EventBuilder> CURRENT = ThreadLocal.withInitial(EventBuilder::new);

  /** Map and array headers are reserved as map16 / array16 and patched with the count. */
  private static final int RESERVED = 65535;
  private static final int MAX_LEVELS = EventEncoder.MAX_DEPTH;
  private static final int CHECKED_KEYS = 64;

  private final Thread thread = Thread.currentThread();

  /** Non-null while an event is open. */
  private Tributary owner;
  private Tributary.EncoderState state;
  private EventEncoder enc;
  private MsgpackBuffer out;
  private int slot;
  private String tag;
  private boolean timed;
  private long replacedBefore;
  /** Why the open event will be dropped at emit(), or null. */
  private DropReason failed;
  /** A value is being written: its toString() or iteration may run code of the application. */
  private boolean writingValue;
  /** putMap / putArray functions running. */
  private int functions;

  // the open containers; level 0 is the record
  private int level;
  private int[] count = new int[4];
  private int[] headerAt = new int[4];
  private boolean[] isArray = new boolean[4];
  /** Per map: one bit per key hash seen, so most keys are known new without a comparison. */
  private long[] seen = new long[4];
  /** Per map: where its keys start in {@link #keys}. */
  private int[] keyBase = new int[4];
  private final String[] keys = new String[CHECKED_KEYS];
  private int keysUsed;

  private EventBuilder() {}

  static EventBuilder open(Tributary owner, String tag) {
    EventBuilder b = CURRENT.get();
    if (b.writingValue || b.functions > 0) {
      b = new EventBuilder(); // called from within this thread's open event: leave that one be
    } else if (b.owner != null) {
      b.discard();
    }
    b.begin(owner, tag);
    return b;
  }

  private void begin(Tributary t, String tag) {
    int s = Tributary.slotOfThisThread();
    Tributary.EncoderState st = t.borrowChecked(tag, s);
    EventEncoder e = st.encoder;
    e.beginOpenEvent();
    MsgpackBuffer o = e.buffer();
    headerAt[0] = o.size();
    o.writeMapHeader(RESERVED);
    level = 0;
    count[0] = 0;
    isArray[0] = false;
    seen[0] = 0;
    keyBase[0] = 0;
    owner = t;
    state = st;
    enc = e;
    out = o;
    slot = s;
    this.tag = tag;
    timed = false;
    failed = null;
    replacedBefore = e.replacedValues();
  }

  // ---- time

  /** The event's time; without one it is stamped with the instance's clock at {@link #emit()}. */
  public EventBuilder time(EventTime time) {
    checkOpen();
    if (time == null) {
      throw new IllegalArgumentException("time must not be null");
    }
    return setTime(time.seconds(), time.nanos());
  }

  /**
   * The event's time as seconds since the epoch and nanoseconds within the second.
   *
   * @throws IllegalArgumentException if {@code epochSecond} is outside 0..2^32-1 or {@code nanos}
   *     outside 0..999,999,999
   */
  public EventBuilder time(long epochSecond, int nanos) {
    checkOpen();
    if (epochSecond < 0 || epochSecond > EventTime.MAX_SECONDS || nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("time out of range: " + epochSecond + "s " + nanos + "ns");
    }
    return setTime(epochSecond, nanos);
  }

  /** The event's time as an {@link Instant} (within {@link EventTime}'s range). */
  public EventBuilder time(Instant time) {
    checkOpen();
    if (time == null) {
      throw new IllegalArgumentException("time must not be null");
    }
    return time(time.getEpochSecond(), time.getNano());
  }

  private EventBuilder setTime(long seconds, int nanos) {
    enc.patchTime(seconds, nanos);
    timed = true;
    return this;
  }

  // ---- fields of a map

  public EventBuilder put(String key, int value) {
    return put(key, (long) value);
  }

  public EventBuilder put(String key, long value) {
    if (field(key)) {
      try {
        out.writeString(key);
        out.writeLong(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  public EventBuilder put(String key, double value) {
    if (field(key)) {
      try {
        out.writeString(key);
        out.writeDouble(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  public EventBuilder put(String key, float value) {
    if (field(key)) {
      try {
        out.writeString(key);
        out.writeFloat(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  public EventBuilder put(String key, boolean value) {
    if (field(key)) {
      try {
        out.writeString(key);
        out.writeBoolean(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  /** A one-character str, as {@code emit} writes a {@code Character}. */
  public EventBuilder put(String key, char value) {
    return put(key, text(value));
  }

  /** Text as str; null as nil. */
  public EventBuilder put(String key, String value) {
    if (field(key)) {
      try {
        out.writeString(key);
        if (value == null) {
          out.writeNil();
        } else {
          out.writeString(value);
        }
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  /** Text from a reused builder, encoded straight from it (read during this call only); null as nil. */
  public EventBuilder put(String key, CharSequence value) {
    if (field(key)) {
      try {
        out.writeString(key);
        if (value == null) {
          out.writeNil();
        } else {
          out.writeCharSequence(value);
        }
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  /** Bytes as bin (as str with {@code legacyMsgpack}); null as nil. */
  public EventBuilder put(String key, byte[] value) {
    return put(key, (Object) value);
  }

  /**
   * Any value {@link Tributary#emit(String, java.util.Map)} takes, by the same rules: boxed
   * numbers, nested maps, collections and arrays, {@code java.time} values, others by {@code
   * toString()}; a cycle or a failing {@code toString()} becomes a marker string, counted in
   * {@code replacedValues}.
   */
  public EventBuilder put(String key, Object value) {
    if (field(key)) {
      writingValue = true;
      try {
        out.writeString(key);
        enc.value(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      } finally {
        writingValue = false;
      }
    }
    return this;
  }

  /** Starts a nested map as the value of {@code key}; its fields follow, then {@link #endMap()}. */
  public EventBuilder beginMap(String key) {
    checkDepth();
    if (field(key)) {
      openContainer(key, false);
    }
    return this;
  }

  /** Starts a nested array as the value of {@code key}; its elements follow, then {@link #endArray()}. */
  public EventBuilder beginArray(String key) {
    checkDepth();
    if (field(key)) {
      openContainer(key, true);
    }
    return this;
  }

  /**
   * A nested map as the value of {@code key}, its fields written by {@code fields} on this same
   * builder: {@code .putMap("user", u -> u.put("id", 7))}. A lambda that captures nothing costs
   * nothing per call.
   */
  public EventBuilder putMap(String key, Consumer<? super EventBuilder> fields) {
    notNull(fields);
    beginMap(key);
    return fill(fields, false);
  }

  /** A nested array as the value of {@code key}, its elements written by {@code elements} with {@code add}. */
  public EventBuilder putArray(String key, Consumer<? super EventBuilder> elements) {
    notNull(elements);
    beginArray(key);
    return fill(elements, true);
  }

  // ---- elements of an array

  public EventBuilder add(long value) {
    if (element()) {
      try {
        out.writeLong(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  public EventBuilder add(double value) {
    if (element()) {
      try {
        out.writeDouble(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  public EventBuilder add(float value) {
    if (element()) {
      try {
        out.writeFloat(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  public EventBuilder add(boolean value) {
    if (element()) {
      try {
        out.writeBoolean(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  public EventBuilder add(char value) {
    return add(text(value));
  }

  public EventBuilder add(String value) {
    if (element()) {
      try {
        if (value == null) {
          out.writeNil();
        } else {
          out.writeString(value);
        }
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  public EventBuilder add(CharSequence value) {
    if (element()) {
      try {
        if (value == null) {
          out.writeNil();
        } else {
          out.writeCharSequence(value);
        }
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      }
    }
    return this;
  }

  public EventBuilder add(byte[] value) {
    return add((Object) value);
  }

  /** Any value {@code emit} takes, as {@link #put(String, Object)}. */
  public EventBuilder add(Object value) {
    if (element()) {
      writingValue = true;
      try {
        enc.value(value);
        count[level]++;
      } catch (Throwable e) {
        fail(e);
      } finally {
        writingValue = false;
      }
    }
    return this;
  }

  /** Starts a map as the next element of the open array; then {@link #endMap()}. */
  public EventBuilder beginMap() {
    checkDepth();
    if (element()) {
      openContainer(null, false);
    }
    return this;
  }

  /** Starts an array as the next element of the open array; then {@link #endArray()}. */
  public EventBuilder beginArray() {
    checkDepth();
    if (element()) {
      openContainer(null, true);
    }
    return this;
  }

  /** Ends the nested map begun last. */
  public EventBuilder endMap() {
    return end(false);
  }

  /** Ends the nested array begun last. */
  public EventBuilder endArray() {
    return end(true);
  }

  // ---- finishing

  /**
   * Finishes the event: closes nested maps and arrays still open, stamps it now unless it has a
   * time, and appends it to its tag's chunk as {@code emit} does (counted once as emitted; dropped
   * by reason when it failed, when the instance is closing or the buffer is full). The builder's
   * encoder goes back to the pool.
   *
   * @throws IllegalStateException no event open on this builder (already emitted), called on
   *     another thread, or inside a {@code putMap} / {@code putArray} function
   * @throws BufferFullException only under {@link OverflowPolicy#THROW}
   */
  public void emit() {
    checkThread();
    Tributary t = owner;
    if (t == null) {
      throw notOpen();
    }
    if (writingValue || functions > 0) {
      throw emitInside();
    }
    DropReason f = failed;
    try {
      if (f == null) {
        while (level > 0) {
          closeLevel();
        }
        out.patchMapHeader(headerAt[0], RESERVED, count[0]);
      }
      t.emitBuilt(tag, slot, enc, replacedBefore, timed, f);
    } finally {
      release();
    }
  }

  // ---- internals

  private static IllegalStateException emitInside() {
    return new IllegalStateException("emit() inside a putMap / putArray function or while a value is"
        + " written: emit once the event is complete");
  }

  /** Gives the open event up as INVALID: this thread began another one. */
  private void discard() {
    Tributary t = owner;
    release();
    t.discardedBuilt();
  }

  private void release() {
    Tributary t = owner;
    Tributary.EncoderState st = state;
    owner = null;
    state = null;
    enc = null;
    out = null;
    tag = null;
    if (keysUsed > 0) {
      Arrays.fill(keys, 0, keysUsed, null); // keys made at run time should not outlive the event
      keysUsed = 0;
    }
    t.giveBack(slot, st);
  }

  private void checkThread() {
    if (Thread.currentThread() != thread) {
      throw wrongThread();
    }
  }

  private IllegalStateException wrongThread() {
    return new IllegalStateException("this EventBuilder belongs to thread \"" + thread.getName()
        + "\" and was used on thread \"" + Thread.currentThread().getName()
        + "\": build and emit an event on the thread that called event(tag)");
  }

  private void checkOpen() {
    checkThread();
    if (owner == null) {
      throw notOpen();
    }
    if (writingValue) {
      throw new IllegalStateException("the event builder was called while one of its own values was"
          + " written (from a toString() or a map's iteration)");
    }
  }

  private static IllegalStateException notOpen() {
    return new IllegalStateException("no open event: emit() was called already; start the next one with"
        + " tributary.event(tag)");
  }

  /**
   * Checks a field of the open map may be written; false when the event failed already. The usual
   * case is one test of each condition, small enough to be inlined into every put; anything
   * unusual is sorted out by {@link #fieldSlow}.
   */
  private boolean field(String key) {
    int l = level;
    if (Thread.currentThread() != thread || owner == null || writingValue || failed != null
        || isArray[l] || key == null || count[l] == RESERVED) {
      return fieldSlow(key);
    }
    if (duplicate(key)) {
      throw duplicateKey(key);
    }
    return true;
  }

  private boolean fieldSlow(String key) {
    checkOpen();
    if (failed != null) {
      return false;
    }
    int l = level;
    if (isArray[l]) {
      throw new IllegalStateException("put(\"" + key + "\", ...) inside an array: use add(value), or"
          + " endArray() first");
    }
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    if (count[l] == RESERVED) {
      throw new IllegalStateException("a map may have at most " + RESERVED + " fields");
    }
    if (duplicate(key)) {
      throw duplicateKey(key);
    }
    return true;
  }

  private static IllegalArgumentException duplicateKey(String key) {
    return new IllegalArgumentException("duplicate key \"" + key + "\": a key may be put once per map"
        + " (Fluentd would keep only the last)");
  }

  /** Checks an element of the open array may be written; false when the event failed already. */
  private boolean element() {
    checkOpen();
    if (failed != null) {
      return false;
    }
    int l = level;
    if (!isArray[l]) {
      throw new IllegalStateException("add(value) outside an array: use put(key, value), or"
          + " beginArray(key) first");
    }
    if (count[l] == RESERVED) {
      throw new IllegalStateException("an array may have at most " + RESERVED + " elements");
    }
    return true;
  }

  /** Whether {@code key} is already in the open map; if not, remembers it (within {@link #CHECKED_KEYS}). */
  private boolean duplicate(String key) {
    int l = level;
    int h = key.hashCode();
    long bit = 1L << (h ^ (h >>> 6) ^ (h >>> 12));
    long s = seen[l];
    if ((s & bit) != 0 && seenBefore(key, l)) {
      return true;
    }
    seen[l] = s | bit;
    int at = keyBase[l] + count[l];
    if (at < CHECKED_KEYS) {
      keys[at] = key;
      if (at >= keysUsed) {
        keysUsed = at + 1;
      }
    }
    return false;
  }

  /** The comparison behind a filter hit: a duplicate, or only a shared hash bit. */
  private boolean seenBefore(String key, int l) {
    int base = keyBase[l];
    int end = Math.min(base + count[l], CHECKED_KEYS);
    for (int i = base; i < end; i++) {
      if (key.equals(keys[i])) {
        return true;
      }
    }
    return false;
  }

  private void checkDepth() {
    checkOpen();
    if (level + 1 >= MAX_LEVELS) {
      throw new IllegalStateException("maps and arrays may nest at most " + MAX_LEVELS + " deep");
    }
  }

  private void openContainer(String key, boolean array) {
    try {
      if (key != null) {
        out.writeString(key);
      }
      int at = out.size();
      if (array) {
        out.writeArrayHeader(RESERVED);
      } else {
        out.writeMapHeader(RESERVED);
      }
      int p = level;
      count[p]++;
      int l = p + 1;
      if (l == count.length) {
        grow();
      }
      headerAt[l] = at;
      count[l] = 0;
      isArray[l] = array;
      seen[l] = 0;
      keyBase[l] = isArray[p] ? keyBase[p] : keyBase[p] + count[p];
      level = l;
    } catch (Throwable e) {
      fail(e);
    }
  }

  private void grow() {
    int n = Math.min(MAX_LEVELS, count.length * 2);
    count = Arrays.copyOf(count, n);
    headerAt = Arrays.copyOf(headerAt, n);
    isArray = Arrays.copyOf(isArray, n);
    seen = Arrays.copyOf(seen, n);
    keyBase = Arrays.copyOf(keyBase, n);
  }

  private EventBuilder end(boolean array) {
    checkOpen();
    if (failed != null) {
      return this;
    }
    if (level == 0 || isArray[level] != array) {
      String what = array ? "endArray()" : "endMap()";
      throw new IllegalStateException(what + " with no nested " + (array ? "array" : "map") + " open"
          + (level > 0 ? ": the innermost open container is " + (isArray[level] ? "an array" : "a map") : ""));
    }
    closeLevel();
    return this;
  }

  /** The header of the innermost container gets its count; map16 and array16 keep it in the same bytes. */
  private void closeLevel() {
    int l = level;
    out.patchMapHeader(headerAt[l], RESERVED, count[l]);
    level = l - 1;
  }

  /** Runs a putMap / putArray function on the container just opened, then closes it. */
  private EventBuilder fill(Consumer<? super EventBuilder> fn, boolean array) {
    if (failed != null) {
      return this;
    }
    int l = level;
    functions++;
    try {
      fn.accept(this);
    } catch (Throwable e) {
      if (failed == null) {
        failed = DropReason.INVALID; // the record is incomplete; the caller's exception goes on
      }
      throw e;
    } finally {
      functions--;
    }
    if (failed != null) {
      return this;
    }
    if (level < l) {
      failed = DropReason.INVALID;
      throw new IllegalStateException((array ? "putArray" : "putMap") + "'s function closed a container"
          + " it did not open; the event is dropped as INVALID");
    }
    while (level >= l) {
      closeLevel();
    }
    return this;
  }

  private static final String[] ASCII = new String[128];

  static {
    for (char c = 0; c < 128; c++) {
      ASCII[c] = String.valueOf(c);
    }
  }

  private static String text(char c) {
    return c < 128 ? ASCII[c] : String.valueOf(c);
  }

  private static void notNull(Object fn) {
    if (fn == null) {
      throw new IllegalArgumentException("the function must not be null");
    }
  }

  /** Writing stopped: the event is dropped at emit(); only fatal errors go on to the caller. */
  private void fail(Throwable e) {
    failed = e == EventTooLargeException.INSTANCE ? DropReason.TOO_LARGE : DropReason.INVALID;
    SafeListener.rethrowIfFatal(e);
  }
}
