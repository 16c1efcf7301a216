package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The bad-input catalogue through logback and SLF4J: each bad value as the message, as a {@code
 * {}} argument, as an MDC value and as a key/value, and each bad logger name under the tag
 * pattern {@code app.{logger}}. Nothing is thrown into the application, no call waits past {@code
 * maxBlock}, and every event is delivered with the documented replacement or dropped with the
 * documented reason; after stop every event is accounted for.
 */
class LogbackBadInputCatalogueTest {

  private static final Duration MAX_BLOCK = Duration.ofMillis(100);
  private static final Duration BOUND = MAX_BLOCK.plusSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ForwardServer server;
  private static TributaryAppender appender;

  @BeforeAll
  static void start() {
    server = ForwardServer.start();
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    appender = new TributaryAppender();
    appender.setContext(ctx);
    appender.setName("catalogue");
    appender.addServer("127.0.0.1:" + server.port());
    appender.setTag(BadInputs.TAG_PATTERN);
    appender.setMaxEventBytes(Integer.toString(BadInputs.MAX_EVENT_BYTES));
    appender.setMaxBlock(MAX_BLOCK.toMillis() + "ms");
    appender.setFlushInterval("20ms");
    appender.start();
    assertTrue(appender.isStarted(), "the appender started");
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
  }

  @AfterAll
  static void stop() {
    try {
      appender.stop();
      BadInputs.assertSettled(appender.metrics());
    } finally {
      LogbackTests.reset();
      server.close();
    }
    Await.noTributaryThreads("catalogue");
  }

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  /** Logs through {@code call}, timed, and returns what became of the event, waiting until it settled. */
  private static Outcome logged(Runnable call) {
    TributaryMetrics before = appender.metrics();
    long start = System.nanoTime();
    try {
      call.run();
    } catch (Throwable e) {
      throw new AssertionError("threw into the application: " + e, e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(BOUND) < 0, "the log call took " + took + ", longer than maxBlock and a margin");
    appender.forwarder().flush(); // sent now, not after flushInterval
    Outcome[] outcome = new Outcome[1];
    Await.until("the event delivered or dropped", WAIT,
        () -> (outcome[0] = BadInputs.outcome(before, appender.metrics())) != null);
    return outcome[0];
  }

  /** The event just delivered, from the server. */
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
   * The rows whose text is cheap to make, and the 100 MB array: the appender's SLF4J formatting
   * stops at maxEventBytes, so the array is not printed in full.
   */
  static List<BadInput> arguments() {
    return BadInputs.values().stream().filter(r -> r.cheapText() || r.value() instanceof byte[])
        .collect(Collectors.toList());
  }

  static List<BadInput> stringKeys() {
    return BadInputs.keys().stream().filter(r -> r.value() instanceof String).collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#strings")
  void asTheMessage(BadInput row) {
    String message = (String) row.value();
    Outcome outcome = logged(() -> LoggerFactory.getLogger("catalogue").info(message));
    assertAsDocumented(row, outcome, "message");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arguments")
  void asAnArgument(BadInput row) {
    Object value = row.value();
    Outcome outcome = logged(() -> LoggerFactory.getLogger("catalogue").info("{}", value));
    if (value instanceof String) {
      assertAsDocumented(row, outcome, "message"); // "{}" formats a string as itself
    } else if (outcome == Outcome.DELIVERED) {
      assertTrue(last().get("message") instanceof String, "SLF4J formatted it to text");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#strings")
  void asAnMdcValue(BadInput row) {
    MDC.put("bad", (String) row.value());
    Outcome outcome = logged(() -> LoggerFactory.getLogger("catalogue").info("mdc"));
    assertAsDocumented(row, outcome, "bad");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#values")
  void asAKeyValue(BadInput row) {
    Object value = row.value();
    Outcome outcome = logged(() -> LoggerFactory.getLogger("catalogue").atInfo().addKeyValue("v", value).log("kv"));
    assertAsDocumented(row, outcome, "v");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stringKeys")
  void asTheKeyOfAKeyValue(BadInput row) {
    String key = (String) row.value();
    Outcome outcome = logged(() -> LoggerFactory.getLogger("catalogue").atInfo().addKeyValue(key, "v").log("kv"));
    assertEquals(row.outcome(), outcome);
    if (outcome == Outcome.DELIVERED) {
      assertTrue(last().record().keySet().stream().anyMatch(row::arrivedIntact), "arrived as " + row.expectation());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#loggerNames")
  void asTheLoggerNameOfTheTag(BadLoggerName row) {
    Logger log = LoggerFactory.getLogger(row.loggerName());
    Outcome outcome = logged(() -> log.info("named"));
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
        map -> LoggerFactory.getLogger("catalogue").atInfo().addKeyValue("shared", map).log("changing"));
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
