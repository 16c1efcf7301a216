package dev.tributary.testkit;

import dev.tributary.DropReason;
import dev.tributary.TributaryMetrics;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The bad-input catalogue: values, keys, tags and logger names that an application may hand to
 * Tributary by mistake, each with what Tributary documents it does with them. Tributary's own
 * tests feed every row through the API and through each logging adapter; use the rows the same
 * way to check that your logging setup survives them (a test helper: not for production code).
 *
 * <p>Every row assumes the client under test runs with {@code maxEventBytes} at most {@link
 * #MAX_EVENT_BYTES} and at least 128 KiB, so the huge rows are {@link Outcome#TOO_LARGE} and the
 * others fit.
 *
 * <p>Thread safe. Values are made when a row's {@link BadInput#value()} is called: mutable ones
 * anew each time; immutable ones that are slow to make (a 100,000-digit number) and the two huge
 * ones (a 300 MB string, a 100 MB array) once per JVM, then shared, so a test run holds at most
 * one of each.
 *
 * <pre>{@code
 * @ParameterizedTest @MethodSource("dev.tributary.testkit.BadInputs#values")
 * void survives(BadInput row) {
 *   tributary.emit("app.test", Map.of("v", row.value()));     // never throws
 *   // then: row.outcome() says delivered or dropped, row.arrivedIntact(received) checks the value
 * }
 * }</pre>
 */
public final class BadInputs {

  /** The largest {@code maxEventBytes} the rows' outcomes assume. */
  public static final int MAX_EVENT_BYTES = 256 * 1024;

  /** What becomes of an event carrying the input, as Tributary documents it. */
  public enum Outcome {
    /** Delivered, the input as written (a replacement marker, {@code ?} for a lone surrogate, ...). */
    DELIVERED,
    /** Dropped, counted as {@code DropReason.TOO_LARGE}. */
    TOO_LARGE,
    /** Dropped, counted as {@code DropReason.INVALID}. */
    INVALID
  }

  /** The marker of a container nested deeper than the encoder follows. */
  public static final String DEPTH_MARKER = "[max depth exceeded]";
  /** The marker of a container met again inside itself. */
  public static final String CYCLE_MARKER = "[cycle]";
  /** The marker of a value whose {@code toString()} threw. */
  public static final String TO_STRING_FAILED_MARKER = "[toString failed]";

  /** One bad input: a name, the input, and what becomes of it. */
  public static final class BadInput {
    private final String name;
    private final Supplier<?> value;
    private final Outcome outcome;
    private final String expectation;
    private final Predicate<Object> intact;
    private final boolean cheapText;
    private final boolean huge;
    private boolean deep;

    BadInput(String name, Supplier<?> value, Outcome outcome, String expectation, Predicate<Object> intact,
        boolean cheapText) {
      this(name, value, outcome, expectation, intact, cheapText, false);
    }

    BadInput(String name, Supplier<?> value, Outcome outcome, String expectation, Predicate<Object> intact,
        boolean cheapText, boolean huge) {
      this.name = name;
      this.value = value;
      this.outcome = outcome;
      this.expectation = expectation;
      this.intact = intact;
      this.cheapText = cheapText;
      this.huge = huge;
    }

    public String name() {
      return name;
    }

    /** The input: a new instance per call when it is mutable, else possibly shared. */
    public Object value() {
      return value.get();
    }

    /** What becomes of an event carrying this input as a record value (or key). */
    public Outcome outcome() {
      return outcome;
    }

    /** What the received value is, in words, for assertion messages. */
    public String expectation() {
      return expectation;
    }

    /**
     * Whether {@code received} (as {@link ReceivedEvent#record()} decodes it) is what Tributary
     * documents for this input; only meaningful when {@link #outcome()} is {@link Outcome#DELIVERED}.
     */
    public boolean arrivedIntact(Object received) {
      return intact.test(received);
    }

    /**
     * Whether {@code String.valueOf(value())} is cheap enough for a logging framework to put into a
     * message: false for values whose text a framework would spend seconds or gigabytes making
     * (a huge number's decimal digits, a 100 MB array printed element by element), which is the
     * framework's cost, not Tributary's.
     */
    public boolean cheapText() {
      return cheapText;
    }

    /**
     * Whether the input is hundreds of megabytes (a 300 MB string, a 100 MB array, a toString() of
     * 300 MB): larger than any event, so Tributary drops it after at most {@code maxEventBytes} of
     * work, but a logging framework that copies it into its message first does hundreds of
     * megabytes of work of its own.
     */
    public boolean huge() {
      return huge;
    }

    /**
     * Whether the input is containers nested 10,000 deep: the encoder stops at its depth limit,
     * but a framework that formats it into a message recurses all the way (log4j2's formatter
     * copies its set of containers seen at every level: quadratic work).
     */
    public boolean deep() {
      return deep;
    }

    /** The name, so a parameterized test shows it. */
    @Override
    public String toString() {
      return name;
    }
  }

  /** A tag given to {@code Tributary.emit}, valid or not, and the tag the server receives when valid. */
  public static final class BadTag {
    private final String name;
    private final String tag;
    private final String received;

    BadTag(String name, String tag, String received) {
      this.name = name;
      this.tag = tag;
      this.received = received;
    }

    public String name() {
      return name;
    }

    public String tag() {
      return tag;
    }

    /** Whether {@code emit} accepts it; an invalid tag is an {@code IllegalArgumentException}. */
    public boolean valid() {
      return received != null;
    }

    /** The tag as the server receives it (a lone surrogate becomes {@code ?}), or null when invalid. */
    public String received() {
      return received;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A logger name that would make a bad tag, and the tag the pattern {@code app.{logger}} makes of it. */
  public static final class BadLoggerName {
    private final String name;
    private final String loggerName;
    private final String received;

    BadLoggerName(String name, String loggerName, String received) {
      this.name = name;
      this.loggerName = loggerName;
      this.received = received;
    }

    public String name() {
      return name;
    }

    public String loggerName() {
      return loggerName;
    }

    /** The tag the server receives under the tag pattern {@link #TAG_PATTERN}. */
    public String received() {
      return received;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The tag pattern {@link BadLoggerName#received()} assumes. */
  public static final String TAG_PATTERN = "app.{logger}";

  private BadInputs() {}

  private static final class Huge {
    static final String STRING = "x".repeat(300_000_000);
    static final byte[] BYTES = new byte[100_000_000];
  }

  /** A 300 MB string, made once per JVM. */
  public static String hugeString() {
    return Huge.STRING;
  }

  /** A 100 MB byte array, made once per JVM (shared: do not write to it). */
  public static byte[] hugeBytes() {
    return Huge.BYTES;
  }

  // ---- values

  /** Every bad record value. */
  public static List<BadInput> values() {
    List<BadInput> rows = new ArrayList<>(strings());
    rows.addAll(containers());
    rows.addAll(numbers());
    rows.addAll(objects());
    return rows;
  }

  /** The bad values that are strings: what an MDC value or a log message can carry. */
  public static List<BadInput> strings() {
    List<BadInput> rows = new ArrayList<>();
    rows.add(same("lone high surrogate", "a\uD800b", "a?b"));
    rows.add(same("lone low surrogate", "a\uDC00b", "a?b"));
    rows.add(same("lone high surrogate at the end", "end\uD83D", "end?"));
    rows.add(same("surrogate pair reversed", "\uDC00\uD800", "??"));
    rows.add(same("lone surrogate in 1,000 characters",
        "x".repeat(500) + "\uDBFF" + "y".repeat(499), "x".repeat(500) + "?" + "y".repeat(499)));
    rows.add(same("lone surrogate in 100,000 characters",
        "x".repeat(50_000) + "\uDC00" + "y".repeat(49_999), "x".repeat(50_000) + "?" + "y".repeat(49_999)));
    rows.add(huge("300 MB string", BadInputs::hugeString, true));
    return rows;
  }

  private static List<BadInput> containers() {
    List<BadInput> rows = new ArrayList<>();
    rows.add(nested("maps nested 10,000 deep", () -> nestedMaps(10_000), "maps"));
    rows.add(nested("lists nested 10,000 deep", () -> nestedLists(10_000), "lists"));
    rows.add(nested("arrays nested 10,000 deep", () -> nestedArrays(10_000), "arrays"));
    rows.add(new BadInput("Optionals nested 100,000 deep", () -> {
      Object v = "bottom";
      for (int i = 0; i < 100_000; i++) {
        v = Optional.of(v);
      }
      return v;
    }, Outcome.DELIVERED, "bottom", "bottom"::equals, false));
    rows.add(new BadInput("map containing itself", () -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("n", 1);
      m.put("self", m);
      return m;
    }, Outcome.DELIVERED, "{n=1, self=" + CYCLE_MARKER + "}",
        r -> r instanceof Map && ((Map<?, ?>) r).get("n").equals(1L) && CYCLE_MARKER.equals(((Map<?, ?>) r).get("self")),
        true));
    rows.add(new BadInput("list containing itself", () -> {
      List<Object> l = new ArrayList<>();
      l.add(1);
      l.add(l);
      return l;
    }, Outcome.DELIVERED, "[1, " + CYCLE_MARKER + "]", r -> List.of(1L, CYCLE_MARKER).equals(r), true));
    rows.add(new BadInput("array containing itself", () -> {
      Object[] a = new Object[2];
      a[0] = 1;
      a[1] = a;
      return a;
    }, Outcome.DELIVERED, "[1, " + CYCLE_MARKER + "]", r -> List.of(1L, CYCLE_MARKER).equals(r), true));
    rows.add(new BadInput("map in a list in the map", () -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("list", new ArrayList<>(List.of(m)));
      return m;
    }, Outcome.DELIVERED, "{list=[" + CYCLE_MARKER + "]}",
        r -> Map.of("list", List.of(CYCLE_MARKER)).equals(r), true));
    rows.add(new BadInput("map whose iterator throws ConcurrentModificationException", BadValues.ThrowingMap::new,
        Outcome.INVALID, "dropped as INVALID", r -> false, true));
    rows.add(new BadInput("HashMap changed while encoded (a key's toString adds an entry)",
        BadInputs::selfChangingMap, Outcome.INVALID, "dropped as INVALID", r -> false, true));
    rows.add(new BadInput("map whose size() is larger than its entries", () -> new BadValues.MisreportingMap(5, 2),
        Outcome.DELIVERED, "the 2 entries it has", r -> Map.of("k0", 0L, "k1", 1L).equals(r), true));
    rows.add(new BadInput("map whose size() is smaller than its entries", () -> new BadValues.MisreportingMap(1, 3),
        Outcome.DELIVERED, "the first entry", r -> Map.of("k0", 0L).equals(r), true));
    rows.add(new BadInput("list whose size() is larger than its elements", () -> new BadValues.MisreportingList(20, 2),
        Outcome.DELIVERED, "the 2 elements it has", r -> List.of(0L, 1L).equals(r), true));
    rows.add(new BadInput("list whose size() is smaller than its elements", () -> new BadValues.MisreportingList(1, 20),
        Outcome.DELIVERED, "the first element", r -> List.of(0L).equals(r), true));
    rows.add(new BadInput("map with a null key", () -> {
      Map<Object, Object> m = new HashMap<>();
      m.put(null, 1);
      return m;
    }, Outcome.DELIVERED, "{null=1}", r -> Map.of("null", 1L).equals(r), true));
    rows.add(new BadInput("map with an Integer key", () -> {
      Map<Object, Object> m = new HashMap<>();
      m.put(42, "answer");
      return m;
    }, Outcome.DELIVERED, "{42=answer}", r -> Map.of("42", "answer").equals(r), true));
    rows.add(new BadInput("map with a key whose toString throws", () -> {
      Map<Object, Object> m = new HashMap<>();
      m.put(new BadValues.ToStringThrows(new IllegalStateException("key toString broke")), 1);
      return m;
    }, Outcome.DELIVERED, "{" + TO_STRING_FAILED_MARKER + "=1}", r -> Map.of(TO_STRING_FAILED_MARKER, 1L).equals(r),
        true));
    rows.add(new BadInput("map with a key whose toString throws an Error", () -> {
      Map<Object, Object> m = new HashMap<>();
      m.put(new BadValues.ToStringThrows(new AssertionError("key toString broke")), 1);
      return m;
    }, Outcome.INVALID, "dropped as INVALID", r -> false, true));
    rows.add(new BadInput("map with a lone surrogate key", () -> Map.of("k\uD800", 1), Outcome.DELIVERED,
        "{k?=1}", r -> Map.of("k?", 1L).equals(r), true));
    rows.add(huge("100 MB byte[]", BadInputs::hugeBytes, false));
    return rows;
  }

  private static List<BadInput> numbers() {
    List<BadInput> rows = new ArrayList<>();
    rows.add(same("double NaN", Double.NaN, r -> r instanceof Double && ((Double) r).isNaN(), "float64 NaN"));
    rows.add(same("double +Infinity", Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
    rows.add(same("double -Infinity", Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY));
    rows.add(same("float NaN", Float.NaN, r -> r instanceof Float && ((Float) r).isNaN(), "float32 NaN"));
    rows.add(same("float +Infinity", Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY));
    rows.add(same("float -Infinity", Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY));
    rows.add(number("BigDecimal 1e1000000", () -> new BigDecimal("1e1000000"), Double.POSITIVE_INFINITY, true));
    rows.add(number("BigDecimal -1e1000000", () -> new BigDecimal("-1e1000000"), Double.NEGATIVE_INFINITY, true));
    rows.add(number("BigDecimal 1e-1000000", () -> new BigDecimal("1e-1000000"), 0.0, true));
    rows.add(number("BigDecimal -1e-1000000", () -> new BigDecimal("-1e-1000000"), -0.0, true));
    rows.add(number("BigDecimal of 100,000 digits", () -> new BigDecimal(digits(100_000)), Double.POSITIVE_INFINITY,
        false));
    rows.add(number("BigDecimal of 100,000 digits after the point",
        () -> new BigDecimal("0." + digits(100_000)), 0.12345678912345678, false));
    rows.add(number("BigDecimal of 2^16,000,000", () -> new BigDecimal(BigInteger.ONE.shiftLeft(16_000_000)),
        Double.POSITIVE_INFINITY, false));
    rows.add(number("BigDecimal of 2^16,000,000 / 10^4,816,480",
        () -> new BigDecimal(BigInteger.ONE.shiftLeft(16_000_000), 4_816_480),
        0.8523612529521658, false));
    Supplier<String> decimal = once(() -> BigInteger.ONE.shiftLeft(200_000).toString());
    rows.add(new BadInput("BigInteger 2^200,000", () -> BigInteger.ONE.shiftLeft(200_000), Outcome.DELIVERED,
        "its 60,206 decimal digits", r -> decimal.get().equals(r), false));
    rows.add(tooLarge("BigInteger 2^1,000,000", () -> BigInteger.ONE.shiftLeft(1_000_000), false));
    return rows;
  }

  private static List<BadInput> objects() {
    List<BadInput> rows = new ArrayList<>();
    rows.add(new BadInput("toString throws RuntimeException",
        () -> new BadValues.ToStringThrows(new IllegalStateException("toString broke")), Outcome.DELIVERED,
        TO_STRING_FAILED_MARKER, TO_STRING_FAILED_MARKER::equals, true));
    rows.add(new BadInput("toString throws AssertionError",
        () -> new BadValues.ToStringThrows(new AssertionError("toString broke")), Outcome.INVALID, "dropped as INVALID",
        r -> false, true));
    rows.add(new BadInput("toString recurses into StackOverflowError", BadValues.ToStringRecurses::new, Outcome.DELIVERED,
        TO_STRING_FAILED_MARKER, TO_STRING_FAILED_MARKER::equals, true));
    rows.add(new BadInput("toString returns null", BadValues.ToStringNull::new, Outcome.DELIVERED, "\"null\"",
        "null"::equals, true));
    rows.add(huge("toString returns 300 MB", BadValues.ToStringHuge::new, true));
    rows.add(same("char[] with a lone surrogate", new char[] {'a', '\uD800', 'b'}, r -> "a?b".equals(r), "a?b"));
    rows.add(same("Character lone surrogate", '\uDC00', r -> "?".equals(r), "?"));
    return rows;
  }

  // ---- keys, tags, logger names

  /** Bad record keys: each row's value is a key, put into a record as {@code {key: "v"}}. */
  public static List<BadInput> keys() {
    List<BadInput> rows = new ArrayList<>();
    rows.add(key("null key", () -> null, "null"));
    rows.add(key("Integer key", () -> 42, "42"));
    rows.add(key("key whose toString throws", () -> new BadValues.ToStringThrows(new IllegalStateException("broke")),
        TO_STRING_FAILED_MARKER));
    rows.add(new BadInput("key whose toString throws an Error",
        () -> new BadValues.ToStringThrows(new AssertionError("broke")),
        Outcome.INVALID, "dropped as INVALID", r -> false, true));
    rows.add(key("lone surrogate key", () -> "k\uD800", "k?"));
    rows.add(key("empty key", () -> "", ""));
    rows.add(huge("300 MB key", BadInputs::hugeString, true));
    return rows;
  }

  /** Tags at and past every limit of {@code Tags}: invalid ones are refused, valid ones arrive. */
  public static List<BadTag> tags() {
    List<BadTag> rows = new ArrayList<>();
    rows.add(new BadTag("empty tag", "", null));
    rows.add(new BadTag("null tag", null, null));
    rows.add(new BadTag("empty part a..b", "a..b", null));
    rows.add(new BadTag("leading dot", ".a", null));
    rows.add(new BadTag("trailing dot", "a.", null));
    rows.add(new BadTag("space", "a b", null));
    rows.add(new BadTag("leading space", " a", null));
    rows.add(new BadTag("tab", "a\tb", null));
    rows.add(new BadTag("newline", "a\nb", null));
    rows.add(new BadTag("NUL", "a\u0000b", null));
    rows.add(new BadTag("DEL", "a\u007fb", null));
    rows.add(new BadTag("no-break space", "a\u00a0b", null));
    rows.add(new BadTag("line separator", "a\u2028b", null));
    rows.add(new BadTag("513 characters", "t".repeat(513), null));
    rows.add(new BadTag("300 MB tag", hugeString(), null));
    rows.add(new BadTag("512 characters", "t".repeat(512), "t".repeat(512)));
    rows.add(new BadTag("non-ASCII", "app.日本語.ü", "app.日本語.ü"));
    rows.add(new BadTag("lone surrogate", "app.\uD800", "app.?"));
    return rows;
  }

  /** Logger names that would make a bad tag, and the tag {@code app.{logger}} makes of each. */
  public static List<BadLoggerName> loggerNames() {
    List<BadLoggerName> rows = new ArrayList<>();
    rows.add(new BadLoggerName("empty part a..b", "a..b", "app.a.b"));
    rows.add(new BadLoggerName("leading and trailing dots", ".a.b.", "app.a.b"));
    rows.add(new BadLoggerName("only dots", "...", "app"));
    rows.add(new BadLoggerName("spaces", "my logger", "app.my_logger"));
    rows.add(new BadLoggerName("tab and newline", "a\tb\nc", "app.a_b_c"));
    rows.add(new BadLoggerName("control characters", "a\u0001\u007fb", "app.a__b"));
    rows.add(new BadLoggerName("no-break space", "a\u00a0b", "app.a_b"));
    rows.add(new BadLoggerName("508 characters: a 512-character tag", "l".repeat(508), "app." + "l".repeat(508)));
    rows.add(new BadLoggerName("509 characters: cut to 512", "l".repeat(509), "app." + "l".repeat(508)));
    rows.add(new BadLoggerName("100,000 characters: cut to 512", "l".repeat(100_000), "app." + "l".repeat(508)));
    rows.add(new BadLoggerName("non-ASCII", "com.exämple.日本", "app.com.exämple.日本"));
    rows.add(new BadLoggerName("lone surrogate", "a\uDC00b", "app.a?b"));
    rows.add(new BadLoggerName("lone high surrogate at the end", "a\uD800", "app.a"));
    return rows;
  }

  // ---- a map changed by another thread

  /**
   * Calls {@code call} {@code times} times with one {@code HashMap} of 200 entries that another
   * thread changes in a loop meanwhile (the map is encoded as it changes: some events see a
   * consistent map, some an iterator that notices the change), then stops that thread.
   *
   * @return the longest of the calls
   * @throws AssertionError if a call threw
   */
  public static Duration whileAnotherThreadChangesAMap(int times, Consumer<Map<String, Object>> call)
      throws InterruptedException {
    Map<String, Object> shared = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      shared.put("k" + i, i);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread changer = new Thread(() -> {
      for (int i = 0; !stop.get(); i++) {
        shared.put("m" + (i % 500), i);
        shared.remove("m" + ((i + 250) % 500));
      }
    }, "bad-inputs-map-changer");
    changer.setDaemon(true);
    long longest = 0;
    changer.start();
    try {
      for (int i = 0; i < times; i++) {
        long start = System.nanoTime();
        try {
          call.accept(shared);
        } catch (Throwable e) {
          throw new AssertionError("threw into the caller: " + e, e);
        }
        longest = Math.max(longest, System.nanoTime() - start);
      }
    } finally {
      stop.set(true);
      changer.join();
    }
    return Duration.ofNanos(longest);
  }

  // ---- what became of an event

  /**
   * What became of the one event emitted between two snapshots of the same instance's {@code
   * metrics()}: null while it is still buffered or in flight.
   *
   * @throws AssertionError if not exactly one event was emitted in between, or it was dropped or
   *     failed for a reason no bad input explains (a full buffer, a failed delivery)
   */
  public static Outcome outcome(TributaryMetrics before, TributaryMetrics after) {
    if (after.emitted() - before.emitted() != 1) {
      throw new AssertionError("expected one event emitted, was " + (after.emitted() - before.emitted()) + ": " + after);
    }
    long delivered = after.delivered() - before.delivered();
    long tooLarge = after.dropped(DropReason.TOO_LARGE) - before.dropped(DropReason.TOO_LARGE);
    long invalid = after.dropped(DropReason.INVALID) - before.dropped(DropReason.INVALID);
    long other = after.droppedTotal() + after.failedTotal() - before.droppedTotal() - before.failedTotal()
        - tooLarge - invalid;
    if (other != 0 || delivered + tooLarge + invalid > 1) {
      throw new AssertionError("the event was lost for another reason: " + after);
    }
    if (after.bufferedEvents() != 0 || after.inFlightEvents() != 0) {
      return null;
    }
    return delivered == 1 ? Outcome.DELIVERED : tooLarge == 1 ? Outcome.TOO_LARGE : invalid == 1 ? Outcome.INVALID : null;
  }

  /**
   * Asserts the accounting after close: emitted = delivered + dropped + failed, with nothing
   * buffered, nothing in flight and no buffer memory held.
   */
  public static void assertSettled(TributaryMetrics m) {
    if (m.emitted() != m.delivered() + m.droppedTotal() + m.failedTotal() || m.bufferedEvents() != 0
        || m.inFlightEvents() != 0 || m.bufferedBytes() != 0) {
      throw new AssertionError("not every event accounted for, or something left buffered: " + m);
    }
  }

  // ---- helpers that make the inputs

  private static BadInput same(String name, Object value, Object received) {
    return new BadInput(name, () -> value, Outcome.DELIVERED, String.valueOf(received), received::equals, true);
  }

  private static BadInput same(String name, Object value, Predicate<Object> received, String expectation) {
    return new BadInput(name, () -> value, Outcome.DELIVERED, expectation, received, true);
  }

  /** Made on first use, then shared: for immutable values that are slow to make (a 100,000-digit parse). */
  private static <T> Supplier<T> once(Supplier<T> make) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = make.get();
        }
        return value;
      }
    };
  }

  private static BadInput number(String name, Supplier<BigDecimal> value, double received, boolean cheapText) {
    Predicate<Object> check;
    if (received == 0.0 || Double.isInfinite(received)) {
      check = r -> r instanceof Double && Double.compare((Double) r, received) == 0;
    } else {
      // a value with more digits than a double holds is converted to within a few ulps
      check = r -> r instanceof Double && Math.abs((Double) r - received) <= 4 * Math.ulp(received);
    }
    return new BadInput(name, once(value), Outcome.DELIVERED, "float64 " + received, check, cheapText);
  }

  private static BadInput tooLarge(String name, Supplier<?> value, boolean cheapText) {
    return new BadInput(name, value, Outcome.TOO_LARGE, "dropped as TOO_LARGE", r -> false, cheapText);
  }

  private static BadInput nested(String name, Supplier<?> value, String containers) {
    BadInput row = new BadInput(name, value, Outcome.DELIVERED, containers + " down to " + DEPTH_MARKER,
        r -> endsIn(r, DEPTH_MARKER), true);
    row.deep = true;
    return row;
  }

  private static BadInput huge(String name, Supplier<?> value, boolean cheapText) {
    return new BadInput(name, value, Outcome.TOO_LARGE, "dropped as TOO_LARGE", r -> false, cheapText, true);
  }

  private static BadInput key(String name, Supplier<?> key, String received) {
    return new BadInput(name, key, Outcome.DELIVERED, "the key \"" + received + "\"", received::equals, true);
  }

  private static String digits(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('1' + i % 9));
    }
    return sb.toString();
  }

  private static Object nestedMaps(int depth) {
    Object v = "bottom";
    for (int i = 0; i < depth; i++) {
      v = Map.of("m", v);
    }
    return v;
  }

  private static Object nestedLists(int depth) {
    Object v = "bottom";
    for (int i = 0; i < depth; i++) {
      v = List.of(v);
    }
    return v;
  }

  private static Object nestedArrays(int depth) {
    Object v = "bottom";
    for (int i = 0; i < depth; i++) {
      v = new Object[] {v};
    }
    return v;
  }

  /** Whether the received value is maps or lists nested no deeper than the encoder goes, ending in {@code marker}. */
  private static boolean endsIn(Object received, String marker) {
    Object v = received;
    for (int depth = 0; depth <= 64; depth++) {
      if (v instanceof Map && ((Map<?, ?>) v).size() == 1) {
        v = ((Map<?, ?>) v).values().iterator().next();
      } else if (v instanceof List && ((List<?>) v).size() == 1) {
        v = ((List<?>) v).get(0);
      } else {
        return marker.equals(v);
      }
    }
    return false;
  }

  private static Map<Object, Object> selfChangingMap() {
    Map<Object, Object> m = new HashMap<>();
    m.put("a", 1);
    m.put(new Object() {
      @Override
      public String toString() {
        m.put("added" + m.size(), 2); // HashMap's iterator sees it and throws ConcurrentModificationException
        return "changer";
      }

      @Override
      public int hashCode() {
        return 0; // the first bucket: iterated first, so the entries after it are still to come
      }
    }, 2);
    m.put("b", 3);
    return m;
  }
}
