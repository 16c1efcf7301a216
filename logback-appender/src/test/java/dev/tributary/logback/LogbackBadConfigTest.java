package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import dev.tributary.testkit.ForwardServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A bad logback.xml: logback's status names the problem, the appender stays stopped, the app keeps logging. */
class LogbackBadConfigTest {

  @AfterEach
  void cleanUp() {
    LogbackTests.reset();
    LogbackTests.assertNoTributaryThreads();
  }

  private static TributaryAppender fluent(LoggerContext ctx) {
    return (TributaryAppender) ctx.getLogger("ROOT").getAppender("FLUENT");
  }

  @SuppressWarnings("unchecked")
  private static int otherAppenderEvents(LoggerContext ctx) {
    return ((ListAppender<ILoggingEvent>) ctx.getLogger("ROOT").getAppender("LIST")).list.size();
  }

  private static String joined(List<String> statuses) {
    return String.join("\n", statuses);
  }

  @Test
  void missingServerIsNamedAndTheOtherAppendersKeepLogging() throws Exception {
    LoggerContext ctx = LogbackTests.configure("logback-no-server.xml", 1);
    LoggerFactory.getLogger("app").info("still logged elsewhere");

    String errors = joined(LogbackTests.statuses(ctx, Status.ERROR));
    assertTrue(errors.contains("Tributary appender [FLUENT] not started: servers is required"), errors);
    assertFalse(fluent(ctx).isStarted());
    assertEquals(1, otherAppenderEvents(ctx));
    assertTrue(LogbackTests.tributaryThreads().isEmpty(), "nothing started for a bad configuration");
  }

  @Test
  void everyBadValueIsNamedInOneError() throws Exception {
    LoggerContext ctx = LogbackTests.configure("logback-bad-port.xml", 1);
    LoggerFactory.getLogger("app").info("still logged elsewhere");

    String errors = joined(LogbackTests.statuses(ctx, Status.ERROR));
    assertTrue(errors.contains("servers entry must be host:port with a port within 1..65535, was \"127.0.0.1:99999\""), errors);
    assertTrue(errors.contains("flushInterval must be a duration such as 200ms, 10s, 5m or PT10S, was \"soon\""), errors);
    assertFalse(fluent(ctx).isStarted());
    assertEquals(1, otherAppenderEvents(ctx));
  }

  @Test
  void unknownOptionIsNamedByLogbackAndThrowPolicyIsRefused() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = LogbackTests.configure("logback-unknown-option.xml", server.port());
      LoggerFactory.getLogger("app").info("still logged elsewhere");

      String errors = joined(LogbackTests.statuses(ctx, Status.WARN));
      assertTrue(errors.contains("flushIntervall"), errors);
      assertTrue(errors.contains("overflowPolicy THROW is not allowed in a logging adapter"), errors);
      assertFalse(fluent(ctx).isStarted());
      assertEquals(1, otherAppenderEvents(ctx));
    }
  }
}
