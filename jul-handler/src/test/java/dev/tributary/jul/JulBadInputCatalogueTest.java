package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue through java.util.logging: each bad value as the message and as a
 * {@code {0}} parameter, and each bad logger name under the tag pattern {@code app.{logger}}.
 * Nothing is thrown into the application, no call waits past {@code maxBlock}, and every event is
 * delivered with the documented replacement or dropped with the documented reason; after close
 * every event is accounted for.
 */
class JulBadInputCatalogueTest {

  private static final Duration BOUND = Duration.ofMillis(100).plusSeconds(2);
  /**
   * For a huge parameter: JUL's formatter copies it into the message twice (MessageFormat's
   * buffer, then its String) before Tributary sees the text. Bounded work, but hundreds of
   * megabytes of it on a busy machine: this bound only says it does not hang.
   */
  private static final Duration JUL_COPIES_BOUND = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ForwardServer server;
  private static TributaryHandler handler;

  @BeforeAll
  static void start() {
    server = ForwardServer.start();
    LogManager.getLogManager().reset(); // no console handler printing 300 MB
    handler = new TributaryHandler(Map.of("servers", "127.0.0.1:" + server.port(), "name", "catalogue",
        "tag", BadInputs.TAG_PATTERN, "maxEventBytes", Integer.toString(BadInputs.MAX_EVENT_BYTES),
        "maxBlock", "100ms", "flushInterval", "20ms"));
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    root.addHandler(handler);
  }

  @AfterAll
  static void stop() {
    try {
      Logger.getLogger("").removeHandler(handler);
      handler.close();
      BadInputs.assertSettled(handler.metrics());
    } finally {
      JulTests.reset();
      server.close();
    }
    Await.noTributaryThreads("catalogue");
  }

  /** Logs through {@code call}, timed, and returns what became of the event, waiting until it settled. */
  private static Outcome logged(Runnable call) {
    return logged(BOUND, call);
  }

  private static Outcome logged(Duration bound, Runnable call) {
    TributaryMetrics before = handler.metrics();
    long start = System.nanoTime();
    try {
      call.run();
    } catch (Throwable e) {
      throw new AssertionError("threw into the application: " + e, e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(bound) < 0, "the log call took " + took + ", longer than " + bound);
    handler.flush(); // sent now, not after flushInterval
    Outcome[] outcome = new Outcome[1];
    Await.until("the event delivered or dropped", WAIT,
        () -> (outcome[0] = BadInputs.outcome(before, handler.metrics())) != null);
    return outcome[0];
  }

  private static ReceivedEvent last() {
    List<ReceivedEvent> events = server.events();
    return events.get(events.size() - 1);
  }

  private static void assertAsDocumented(BadInput row, Outcome outcome) {
    assertEquals(row.outcome(), outcome);
    if (outcome == Outcome.DELIVERED) {
      assertTrue(row.arrivedIntact(last().get("message")), "arrived as " + row.expectation());
    }
  }

  static List<BadInput> cheapText() {
    return BadInputs.values().stream().filter(BadInput::cheapText).collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#strings")
  void asTheMessage(BadInput row) {
    String message = (String) row.value();
    assertAsDocumented(row, logged(() -> Logger.getLogger("catalogue").info(message)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cheapText")
  void asAParameter(BadInput row) {
    Object value = row.value();
    Outcome outcome = logged(row.huge() ? JUL_COPIES_BOUND : BOUND,
        () -> Logger.getLogger("catalogue").log(Level.INFO, "{0}", value));
    if (value instanceof String) {
      assertAsDocumented(row, outcome); // "{0}" formats a string as itself
    } else if (outcome == Outcome.DELIVERED) {
      assertTrue(last().get("message") instanceof String, "JUL formatted it to text");
    }
    // else dropped, and counted: as TOO_LARGE when JUL's text for it is (a BigDecimal written out in
    // full), as INVALID when JUL's formatter passed on an Error from toString()
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tributary.testkit.BadInputs#loggerNames")
  void asTheLoggerNameOfTheTag(BadLoggerName row) {
    Logger named = Logger.getLogger(row.loggerName());
    Outcome outcome = logged(() -> named.info("named"));
    assertEquals(Outcome.DELIVERED, outcome, "a logger name is made a valid tag");
    assertEquals(row.received(), last().tag());
    assertEquals("named", last().get("message"));
  }
}
