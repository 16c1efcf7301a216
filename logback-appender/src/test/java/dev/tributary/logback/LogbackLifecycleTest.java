package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.status.Status;
import dev.tributary.FailureReason;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** stop() drains and reports loss; nothing the appender meets is thrown into the application. */
class LogbackLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterEach
  void cleanUp() {
    LogbackTests.reset();
    LogbackTests.assertNoTributaryThreads();
  }

  @Test
  void contextStopDeliversEverythingBufferedBeforeItReturns() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = LogbackTests.configure("logback-shutdown.xml", server.port());
      Logger log = LoggerFactory.getLogger("app");
      for (int i = 0; i < 500; i++) {
        log.info("event {}", i);
      }
      ctx.stop();
      assertEquals(500, server.eventCount(), "acknowledged, so stored, before stop() returned");
      assertTrue(LogbackTests.tributaryThreads().isEmpty());
    }
  }

  @Test
  void stopWithADeadAggregatorReportsTheLossThroughStatus() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      LoggerContext ctx = LogbackTests.configure("logback-lossy.xml", server.port());
      Logger log = LoggerFactory.getLogger("app");
      for (int i = 0; i < 10; i++) {
        log.info("event {}", i);
      }
      List<String> statuses = LogbackTests.collectStatuses(ctx, Status.WARN);
      TributaryAppender fluent = (TributaryAppender) ctx.getLogger("ROOT").getAppender("FLUENT");

      long started = System.nanoTime();
      ctx.stop();
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "closeTimeout bounds stop()");
      String warnings = String.join("\n", statuses);
      assertTrue(warnings.contains("tributary[FLUENT] stopped: 10 of 10 events may have been lost"), warnings);
      TributaryMetrics m = fluent.metrics();
      assertEquals(10, m.emitted(), "metrics stay readable after stop");
      assertEquals(10, m.failed(FailureReason.UNDELIVERED_AT_CLOSE), "every lost event is counted: " + m);
    }
  }

  @Test
  void aFailingToStringIsFormattedAsSlf4jDoesAndNothingIsThrown() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LogbackTests.configure("logback-lossy.xml", server.port());
      Object broken = new Object() {
        @Override
        public String toString() {
          throw new IllegalStateException("no");
        }
      };
      LoggerFactory.getLogger("app").info("value {}", broken);
      assertEquals("value [FAILED toString()]", server.awaitEvents(1, WAIT).get(0).get("message"));
      LogbackTests.reset(); // stop logging while the server can still ack
    }
  }

  @Test
  void anEventTheForwardProtocolCannotCarryIsReportedNotThrown() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = LogbackTests.configure("logback-lossy.xml", server.port());
      ch.qos.logback.classic.Logger logger = ctx.getLogger("app");
      LoggingEvent ancient = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "before 1970", null, null);
      ancient.setInstant(Instant.parse("1969-12-31T23:59:59Z"));
      logger.callAppenders(ancient);
      logger.info("after");

      assertEquals("after", server.awaitEvents(1, WAIT).get(0).get("message"));
      String errors = String.join("\n", LogbackTests.statuses(ctx, Status.ERROR));
      assertTrue(errors.contains("an event could not be appended and was dropped"), errors);
      assertTrue(errors.contains("time out of range"), errors);
      LogbackTests.reset(); // stop logging while the server can still ack
    }
  }
}
