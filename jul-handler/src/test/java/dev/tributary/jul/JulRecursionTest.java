package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With dev.tributary at ALL on the Tributary handler, nothing of Tributary's own comes back. */
class JulRecursionTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterEach
  void cleanUp() {
    JulTests.reset();
    JulTests.assertNoTributaryThreads();
  }

  @Test
  void diagnosticsGoToTheErrorManagerAndLogCallsOnTributaryThreadsAreKeptOut() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      JulTests.configure("logging-recursion.properties", server.port());
      TributaryHandler handler = JulTests.handler();
      JulTests.RecordingErrorManager errors = new JulTests.RecordingErrorManager();
      handler.setErrorManager(errors);
      Logger.getLogger("app").info("from the application");
      JulTests.await("a connection failure at the ErrorManager", WAIT,
          () -> errors.reports.stream().anyMatch(s -> s.contains("connection to 127.0.0.1")));

      Thread flusherLike = new Thread(
          () -> Logger.getLogger("dev.tributary.internal.flush").warning("logged on a tributary thread"),
          "tributary-flusher-imitation");
      flusherLike.start();
      flusherLike.join();
      assertEquals(1, handler.forwarder().recursionDropped());

      server.refuseConnections(false);
      server.awaitEvents(1, WAIT);
      JulTests.reset();
      List<String> messages = server.events().stream().map(e -> (String) e.get("message")).collect(Collectors.toList());
      assertEquals(List.of("from the application"), messages, "only the application's event arrived");
    }
  }

  @Test
  void aLogCallMadeWhileTheHandlerFormatsIsDroppedNotRecursed() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      JulTests.configure("logging-recursion.properties", server.port());
      TributaryHandler handler = JulTests.handler();
      Logger inner = Logger.getLogger("dev.tributary.inner");
      Object chatty = new Object() {
        @Override
        public String toString() {
          inner.info("logged from toString");
          return "chatty";
        }
      };
      // JUL formats parameters in the handler, so this toString runs inside it
      Logger.getLogger("app").log(Level.INFO, "value {0}", chatty);
      assertEquals("value chatty", server.awaitEvents(1, WAIT).get(0).get("message"));
      assertEquals(1, handler.forwarder().recursionDropped());
      JulTests.reset();
      assertEquals(1, server.eventCount());
    }
  }
}
