package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** With dev.tributary routed to the Tributary appender at TRACE, nothing of Tributary's own comes back. */
class LogbackRecursionTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterEach
  void cleanUp() {
    LogbackTests.reset();
    LogbackTests.assertNoTributaryThreads();
  }

  @Test
  void diagnosticsGoToStatusAndLogCallsOnTributaryThreadsAreKeptOut() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      LoggerContext ctx = LogbackTests.configure("logback-recursion.xml", server.port());
      TributaryAppender fluent = (TributaryAppender) ctx.getLogger("ROOT").getAppender("FLUENT");
      LoggerFactory.getLogger("app").info("from the application");
      LogbackTests.await("a connection failure in logback's status", WAIT,
          () -> LogbackTests.statuses(ctx, Status.WARN).stream().anyMatch(s -> s.contains("connection to 127.0.0.1")));

      // what JDK code running on Tributary's flusher would do if it logged
      Thread flusherLike = new Thread(
          () -> LoggerFactory.getLogger("dev.tributary.internal.flush").warn("logged on a tributary thread"),
          "tributary-flusher-imitation");
      flusherLike.start();
      flusherLike.join();
      assertEquals(1, fluent.forwarder().recursionDropped());

      server.refuseConnections(false);
      server.awaitEvents(1, WAIT);
      ctx.stop();
      List<String> messages = server.events().stream().map(e -> (String) e.get("message")).collect(Collectors.toList());
      assertEquals(List.of("from the application"), messages, "only the application's event arrived");
    }
  }

  @Test
  void aLogCallMadeWhileTheAppenderFormatsIsDroppedNotRecursed() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = LogbackTests.configure("logback-recursion.xml", server.port());
      Logger inner = LoggerFactory.getLogger("dev.tributary.inner");
      Object chatty = new Object() {
        @Override
        public String toString() {
          inner.info("logged from toString");
          LoggerFactory.getLogger("app").info("and again on the root");
          return "chatty";
        }
      };
      LoggerFactory.getLogger("app").info("value {}", chatty);
      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      ctx.stop();
      assertEquals("value chatty", e.get("message"));
      assertEquals(1, server.eventCount(), "the calls made inside formatting were not forwarded");
    }
  }
}
