package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import dev.tributary.testkit.ForwardServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unreachable aggregator is seen without any setup: with no status listener registered
 * (logback's default, where statuses stay unseen) the appender prints its reports to standard
 * error; a status listener, such as logback's NopStatusListener, takes them over.
 */
class LogbackReportsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Standard error, captured while open. */
  private static final class CapturedStderr implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    CapturedStderr() {
      System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }

  @AfterEach
  void cleanUp() {
    LogbackTests.reset();
    LogbackTests.assertNoTributaryThreads();
  }

  private static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  @Test
  void theFirstConnectionFailureAndTheLossAtStopGoToStandardError() throws Exception {
    try (ForwardServer server = ForwardServer.start(); CapturedStderr err = new CapturedStderr()) {
      server.refuseConnections(true);
      LoggerContext ctx = LogbackTests.configure("logback-lossy.xml", server.port());
      assertTrue(ctx.getStatusManager().getCopyOfStatusListenerList().isEmpty(), "logback's default");
      Logger log = LoggerFactory.getLogger("app");
      for (int i = 0; i < 3; i++) {
        log.info("event {}", i);
      }
      String failure = " |-WARN in dev.tributary.logback.TributaryAppender[FLUENT] - tributary[FLUENT]: connection to 127.0.0.1:"
          + server.port() + " failed: ";
      LogbackTests.await("the connection failure on stderr", WAIT, () -> err.text().contains(failure));
      ctx.stop();

      String text = err.text();
      assertTrue(text.contains("tributary[FLUENT] stopped: 3 of 3 events may have been lost"), text);
      assertEquals(1, count(text, "connection to"), "one line per reportInterval, not one per attempt: " + text);
    }
  }

  @Test
  void lossSummariesGoToStandardError() throws Exception {
    try (ForwardServer server = ForwardServer.start(); CapturedStderr err = new CapturedStderr()) {
      server.refuseConnections(true);
      LogbackTests.configure("logback-unreachable.xml", server.port());
      Logger log = LoggerFactory.getLogger("app");
      for (int i = 0; i < 3; i++) {
        log.info("event {}", i);
      }
      LogbackTests.await("a loss summary on stderr", WAIT,
          () -> err.text().contains("tributary[FLUENT]: 3 events not delivered {RETRIES_EXHAUSTED=3} since the last report"));
    }
  }

  @Test
  void aStatusListenerTakesTheReportsOffStandardError() throws Exception {
    try (ForwardServer server = ForwardServer.start(); CapturedStderr err = new CapturedStderr()) {
      server.refuseConnections(true);
      LoggerContext ctx = LogbackTests.configure("logback-quiet.xml", server.port());
      LoggerFactory.getLogger("app").info("event");
      LogbackTests.await("the connection failure in the status list", WAIT,
          () -> String.join("\n", LogbackTests.statuses(ctx, Status.WARN)).contains("tributary[FLUENT]: connection to"));
      ctx.stop();
      assertFalse(err.text().contains("tributary["), err.text());
    }
  }
}
