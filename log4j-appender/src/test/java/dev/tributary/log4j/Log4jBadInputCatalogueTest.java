package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.DropReason;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.Await;
import dev.tributary.testkit.BadInputs;
import dev.tributary.testkit.BadInputs.BadInput;
import dev.tributary.testkit.BadInputs.BadLoggerName;
import dev.tributary.testkit.BadInputs.Outcome;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.MapMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue through log4j2: each bad value as the message, as a {@code {}}
 * argument, as an object message, as a ThreadContext value and as a MapMessage entry, and each bad
 * logger name under the tag pattern {@code app.{logger}}. Nothing is thrown into the application,
 * no call waits past {@code maxBlock}, and every event is delivered with the documented
 * replacement or dropped with the documented reason; after stop every event is accounted for.
 */
class Log4jBadInputCatalogueTest {

  private static final Duration BOUND = Duration.ofMillis(100).plusSeconds(2);
  /**
   * For a value log4j2 formats into its message at a cost of its own: a huge one it copies into
   * its event before any appender runs (as UTF-16, twice the bytes, once its reused buffer held
   * other text), and an appender can read a message only as another copy; a deeply nested one its
   * formatter walks copying its set of containers seen at every level. Bounded work, but a lot of
   * it on a busy machine: this bound only says it does not hang.
   */
  private static final Duration LOG4J_FORMATS_BOUND = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ForwardServer server;
  private static TributaryAppender appender;
  private static List<String> statuses;

  @BeforeAll
  static void start() throws Exception {
    server = ForwardServer.start();
    LoggerContext ctx = Log4jTests.configure("log4j2-catalogue.xml", server.port());
    statuses = Log4jTests.collectStatuses(Level.WARN);
    appender = ctx.getConfiguration().getAppender("catalogue");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      Log4jTests.reset(); // stops the appender, which drains
      BadInputs.assertSettled(appender.metrics());
    } finally {
      server.close();
    }
    Await.noTributaryThreads("catalogue");
  }

  @AfterEach
  void clearContext() {
    ThreadContext.clearAll();
  }

  /** Logs through {@code call}, timed, and returns what became of the event, waiting until it settled. */
  private static Outcome logged(Runnable call) {
    return logged(BOUND, call);
  }

  private static Outcome logged(Duration bound, Runnable call) {
    Outcome outcome = loggedUnlessLog4jRefused(bound, call);
    assertTrue(outcome != null, "the event reached the appender");
    return outcome;
  }

  /**
   * As {@link #logged}, but for a message log4j2 formats itself before any appender runs: when
   * that formatting throws, log4j2 drops the event and reports it on its StatusLogger, and the
   * appender never sees it (null).
   */
  private static Outcome loggedUnlessLog4jRefused(Duration bound, Runnable call) {
    TributaryMetrics before = appender.metrics();
    int reports = statuses.size();
    long start = System.nanoTime();
    try {
      call.run();
    } catch (Throwable e) {
      throw new AssertionError("threw into the application: " + e, e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(bound) < 0, "the log call took " + took + ", longer than " + bound);
    if (appender.metrics().emitted() == before.emitted()) {
      // a synchronous logger appends on this thread: not emitted by now means not handed over
      assertTrue(statuses.size() > reports, "log4j2 reported why it dropped the event");
      return null;
    }
    appender.forwarder().flush(); // sent now, not after flushInterval
    Outcome[] outcome = new Outcome[1];
    Await.until("the event delivered or dropped", WAIT,
        () -> (outcome[0] = BadInputs.outcome(before, appender.metrics())) != null);
    return outcome[0];
  }

  private static ReceivedEvent last() {
    List<ReceivedEvent> events = server.events();
    return events.get(events.size() - 1);
  }

  private static void assertAsDocumented(BadInput row, Outcome outcome, String field) {
    assertEquals(row.outcome(), outcome);
    if (outcome == Outcome.DELIVERED) {
      assertTrue(row.arrivedIntact(last().get(field)), "arrived as " + row.expectation());
    }
  }

  /**
   * log4j2 formatted the value into the message: delivered as text, or dropped and counted (as
   * TOO_LARGE when the text is, as INVALID when formatting threw an Error), or refused by log4j2
   * before the appender (null).
   */
  private static void assertFormattedOrDropped(Outcome outcome) {
    if (outcome == Outcome.DELIVERED) {
      assertTrue(last().get("message") instanceof String, "log4j2 formatted it to text");
    }
  }

  /** The bound for a call whose message log4j2 formats from {@code row}'s value. */
  private static Duration formatted(BadInput row) {
    return row.huge() || row.deep() ? LOG4J_FORMATS_BOUND : BOUND;
  }

  private static Logger log() {
    return LogManager.getLogger("catalogue");
  }

  /**
   * The rows for carriers log4j2 formats into its message itself: those whose text is cheap to
   * make, but not the huge ones, which log4j2 copies before the appender runs as {@link
   * #asTheMessage} shows once: seconds of log4j2's own copying per carrier, no more of Tributary.
   */
  static List<BadInput> formattedByLog4j() {
    return BadInputs.values().stream().filter(r -> r.cheapText() && !r.huge()).collect(Collectors.toList());
  }

  /**
   * As {@link #formattedByLog4j}, but not the deeply nested rows either: log4j2 formats a
   * MapMessage's entries walking 10,000 levels and copying its set of containers seen at each
   * (seconds of its own work, shown once by {@link #asAnArgument}).
   */
  static List<BadInput> formattedByLog4jMapMessage() {
    return formattedByLog4j().stream().filter(r -> !r.deep()).collect(Collectors.toList());
  }

  static List<BadInput> stringKeys() {
    return BadInputs.keys().stream().filter(r -> r.value() instanceof String).collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#strings")
  void asTheMessage(BadInput row) {
    String message = (String) row.value();
    Outcome outcome = logged(formatted(row), () -> log().info(message));
    assertAsDocumented(row, outcome, "message");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formattedByLog4j")
  void asAnArgument(BadInput row) {
    Object value = row.value();
    Outcome outcome = loggedUnlessLog4jRefused(formatted(row), () -> log().info("{}", value));
    if (value instanceof String) {
      assertAsDocumented(row, outcome, "message");
    } else {
      assertFormattedOrDropped(outcome);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formattedByLog4j")
  void asAnObjectMessage(BadInput row) {
    Object value = row.value();
    Outcome outcome = loggedUnlessLog4jRefused(formatted(row), () -> log().info(value));
    if (value instanceof String) {
      assertAsDocumented(row, outcome, "message");
    } else {
      assertFormattedOrDropped(outcome);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#strings")
  void asAThreadContextValue(BadInput row) {
    ThreadContext.put("bad", (String) row.value());
    Outcome outcome = logged(() -> log().info("context"));
    assertAsDocumented(row, outcome, "bad");
  }

  /** A MapMessage with a message entry: the entries go into the record as they are, unformatted. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#values")
  void asAMapMessageEntry(BadInput row) {
    Object value = row.value();
    Outcome outcome = logged(() -> log().info(new MapMessage<>().with("message", "entries").with("v", value)));
    assertAsDocumented(row, outcome, "v");
  }

  /** A MapMessage without a message entry: log4j2 formats the entries into the message too. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("formattedByLog4jMapMessage")
  void asAnEntryOfAMapMessageWithoutMessage(BadInput row) {
    Object value = row.value();
    Outcome outcome = loggedUnlessLog4jRefused(formatted(row), () -> log().info(new MapMessage<>().with("v", value)));
    if (outcome == Outcome.DELIVERED && row.outcome() == Outcome.DELIVERED) {
      assertTrue(row.arrivedIntact(last().get("v")), "arrived as " + row.expectation());
    } else {
      assertFormattedOrDropped(outcome);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stringKeys")
  void asTheKeyOfAMapMessageEntry(BadInput row) {
    String key = (String) row.value();
    Outcome outcome = logged(() -> log().info(new MapMessage<>().with("message", "entries").with(key, "v")));
    assertEquals(row.outcome(), outcome);
    if (outcome == Outcome.DELIVERED) {
      assertTrue(last().record().keySet().stream().anyMatch(row::arrivedIntact), "arrived as " + row.expectation());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#loggerNames")
  void asTheLoggerNameOfTheTag(BadLoggerName row) {
    Logger named = LogManager.getLogger(row.loggerName());
    Outcome outcome = logged(() -> named.info("named"));
    assertEquals(Outcome.DELIVERED, outcome, "a logger name is made a valid tag");
    assertEquals(row.received(), last().tag());
    assertEquals("named", last().get("message"));
  }

  /** Every event counted, also those logged while another thread changed a map they carry. */
  @Test
  void aMapAnotherThreadChangesWhileItIsEncoded() throws Exception {
    TributaryMetrics before = appender.metrics();
    int events = 200;
    Duration longest = BadInputs.whileAnotherThreadChangesAMap(events,
        map -> log().info(new MapMessage<>().with("message", "changing").with("shared", map)));
    assertTrue(longest.compareTo(BOUND) < 0, "a log call took " + longest);
    Await.until("every event delivered or dropped", WAIT, () -> {
      TributaryMetrics m = appender.metrics();
      return m.bufferedEvents() == 0 && m.inFlightEvents() == 0;
    });
    TributaryMetrics after = appender.metrics();
    assertEquals(events, after.emitted() - before.emitted());
    assertEquals(events, after.delivered() - before.delivered()
        + after.dropped(DropReason.INVALID) - before.dropped(DropReason.INVALID),
        "delivered or INVALID, nothing else: " + after);
  }
}
