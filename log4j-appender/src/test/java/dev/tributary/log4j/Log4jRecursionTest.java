package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.MapMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With dev.tributary routed to the Tributary appender at TRACE, nothing of Tributary's own comes back. */
class Log4jRecursionTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterEach
  void cleanUp() throws Exception {
    Log4jTests.reset();
    Log4jTests.assertNoTributaryThreads();
  }

  @Test
  void diagnosticsGoToTheStatusLoggerAndLogCallsOnTributaryThreadsAreKeptOut() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      List<String> warnings = Log4jTests.collectStatuses(Level.WARN);
      LoggerContext ctx = Log4jTests.configure("log4j2-recursion.xml", server.port());
      TributaryAppender fluent = (TributaryAppender) ctx.getConfiguration().getAppender("FLUENT");
      LogManager.getLogger("app").info("from the application");
      Log4jTests.await("a connection failure in the StatusLogger", WAIT,
          () -> warnings.stream().anyMatch(s -> s.contains("connection to 127.0.0.1")));

      Thread flusherLike = new Thread(
          () -> LogManager.getLogger("dev.tributary.internal.flush").warn("logged on a tributary thread"),
          "tributary-flusher-imitation");
      flusherLike.start();
      flusherLike.join();
      assertEquals(1, fluent.forwarder().recursionDropped());

      server.refuseConnections(false);
      server.awaitEvents(1, WAIT);
      Log4jTests.reset();
      List<String> messages = server.events().stream().map(e -> (String) e.get("message")).collect(Collectors.toList());
      assertEquals(List.of("from the application"), messages, "only the application's event arrived");
    }
  }

  @Test
  void aLogCallMadeWhileTheAppenderFormatsIsDroppedNotRecursed() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = Log4jTests.configure("log4j2-recursion.xml", server.port());
      TributaryAppender fluent = (TributaryAppender) ctx.getConfiguration().getAppender("FLUENT");
      Logger inner = LogManager.getLogger("dev.tributary.inner");
      Object chatty = new Object() {
        @Override
        public String toString() {
          inner.info("logged from toString");
          return "chatty";
        }
      };
      // log4j2 formats a parameterized message before appenders see it; a MapMessage value is
      // turned into text by the appender itself, so its toString runs inside the appender
      LogManager.getLogger("app").info(new MapMessage<>().with("message", "a chatty value").with("value", chatty));
      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      assertEquals("a chatty value", e.get("message"));
      assertEquals("chatty", e.get("value"));
      assertEquals(1, fluent.forwarder().recursionDropped(), "the guard, not the framework, stopped it");
      Log4jTests.reset();
      assertEquals(1, server.eventCount());
    }
  }
}
