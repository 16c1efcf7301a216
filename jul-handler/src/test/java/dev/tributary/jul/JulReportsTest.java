package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.ForwardServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.ErrorManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An unreachable aggregator is seen without any setup: the handler's own ErrorManager prints every
 * report to standard error (the JDK's prints only the first); the errorManager key replaces it.
 */
class JulReportsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Counts reports and shows nothing; named by logging-quiet.properties. */
  public static final class CountingErrorManager extends ErrorManager {
    static final AtomicInteger REPORTS = new AtomicInteger();

    @Override
    public void error(String msg, Exception ex, int code) {
      REPORTS.incrementAndGet();
    }
  }

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
    JulTests.reset();
    JulTests.assertNoTributaryThreads();
  }

  private static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  @Test
  void theFirstConnectionFailureAndTheLossAtCloseGoToStandardError() throws Exception {
    try (ForwardServer server = ForwardServer.start(); CapturedStderr err = new CapturedStderr()) {
      server.refuseConnections(true);
      JulTests.configure("logging-lossy.properties", server.port());
      for (int i = 0; i < 3; i++) {
        Logger.getLogger("app").info("event " + i);
      }
      String failure = "dev.tributary.jul.TributaryHandler: tributary[jul]: connection to 127.0.0.1:" + server.port()
          + " failed: ";
      JulTests.await("the connection failure on stderr", WAIT, () -> err.text().contains(failure));
      JulTests.handler().close();

      String text = err.text();
      assertTrue(text.contains("tributary[jul] stopped: 3 of 3 events may have been lost"), text);
      assertEquals(1, count(text, "connection to"), "one line per reportInterval, not one per attempt: " + text);
    }
  }

  @Test
  void lossSummariesGoToStandardError() throws Exception {
    try (ForwardServer server = ForwardServer.start(); CapturedStderr err = new CapturedStderr()) {
      server.refuseConnections(true);
      JulTests.configure("logging-unreachable.properties", server.port());
      for (int i = 0; i < 3; i++) {
        Logger.getLogger("app").info("event " + i);
      }
      JulTests.await("a loss summary on stderr", WAIT,
          () -> err.text().contains("tributary[jul]: 3 events not delivered {RETRIES_EXHAUSTED=3} since the last report"));
    }
  }

  @Test
  void theErrorManagerKeyReplacesTheHandlersOwn() throws Exception {
    try (ForwardServer server = ForwardServer.start(); CapturedStderr err = new CapturedStderr()) {
      server.refuseConnections(true);
      CountingErrorManager.REPORTS.set(0);
      JulTests.configure("logging-quiet.properties", server.port());
      assertEquals(CountingErrorManager.class, JulTests.handler().getErrorManager().getClass());
      Logger.getLogger("app").info("event");
      JulTests.await("the connection failure at the configured ErrorManager", WAIT,
          () -> CountingErrorManager.REPORTS.get() > 0);
      JulTests.handler().close();
      assertTrue(CountingErrorManager.REPORTS.get() >= 2, "the failure and the loss at close");
      assertFalse(err.text().contains("tributary["), err.text());
    }
  }
}
