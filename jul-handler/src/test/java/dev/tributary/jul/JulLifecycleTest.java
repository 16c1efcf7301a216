package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.FailureReason;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LogManager.reset() / close() drain and report loss; a broken argument never reaches the application. */
class JulLifecycleTest {

  @AfterEach
  void cleanUp() {
    JulTests.reset();
    JulTests.assertNoTributaryThreads();
  }

  @Test
  void resetDeliversEverythingBufferedBeforeItReturns() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      JulTests.configure("logging-shutdown.properties", server.port());
      Logger log = Logger.getLogger("app");
      for (int i = 0; i < 500; i++) {
        log.info("event " + i);
      }
      LogManager.getLogManager().reset();
      assertEquals(500, server.eventCount(), "acknowledged, so stored, before reset() returned");
      assertTrue(JulTests.tributaryThreads().isEmpty());
    }
  }

  @Test
  void closeWithADeadAggregatorReportsTheLossToTheErrorManager() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      JulTests.configure("logging-lossy.properties", server.port());
      TributaryHandler handler = JulTests.handler();
      JulTests.RecordingErrorManager errors = new JulTests.RecordingErrorManager();
      handler.setErrorManager(errors);
      for (int i = 0; i < 10; i++) {
        Logger.getLogger("app").info("event " + i);
      }
      long started = System.nanoTime();
      handler.close();
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "closeTimeout bounds close()");
      String all = String.join("\n", errors.reports);
      assertTrue(all.contains("tributary[jul] stopped: 10 of 10 events may have been lost"), all);
      assertEquals(10, handler.metrics().failed(FailureReason.UNDELIVERED_AT_CLOSE),
          "every lost event is counted, readable after close: " + handler.metrics());
    }
  }

  @Test
  void aFailingToStringFallsBackAsJulFormattingDoesAndNothingIsThrown() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      JulTests.configure("logging-lossy.properties", server.port());
      Object broken = new Object() {
        @Override
        public String toString() {
          throw new IllegalStateException("no");
        }
      };
      Logger.getLogger("app").log(java.util.logging.Level.INFO, "value {0}", broken);
      Logger.getLogger("app").info("after");
      var events = server.awaitEvents(2, Duration.ofSeconds(20));
      assertEquals("value {0}", events.get(0).get("message"), "Formatter.formatMessage keeps the pattern when formatting fails");
      assertEquals("after", events.get(1).get("message"));
      JulTests.reset(); // stop logging while the server can still ack
    }
  }
}
