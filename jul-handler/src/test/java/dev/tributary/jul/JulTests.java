package dev.tributary.jul;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import dev.tributary.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Loads a logging.properties from the test classpath the way -Djava.util.logging.config.file does. */
final class JulTests {

  private JulTests() {}

  /** Reads {@code resource} as the LogManager's configuration file and returns what the handlers printed to stderr. */
  static String configure(String resource, int port) throws Exception {
    System.setProperty("tributary.port", Integer.toString(port));
    CaptureHandler.RECORDS.clear();
    Path file = Path.of(JulTests.class.getResource("/" + resource).toURI());
    System.setProperty("java.util.logging.config.file", file.toString());
    return stderrOf(() -> {
      try {
        LogManager.getLogManager().readConfiguration();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      Logger.getLogger("").getHandlers(); // the root handlers are made on first use
    });
  }

  /** What {@code action} printed to standard error (where JUL's default ErrorManager reports). */
  static String stderrOf(Runnable action) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** Closes every handler (so Tributary drains), as at JVM exit. */
  static void reset() {
    LogManager.getLogManager().reset();
    System.clearProperty("java.util.logging.config.file");
    CaptureHandler.RECORDS.clear();
  }

  static TributaryHandler handler() {
    for (Handler h : Logger.getLogger("").getHandlers()) {
      if (h instanceof TributaryHandler) {
        return (TributaryHandler) h;
      }
    }
    throw new AssertionError("no TributaryHandler on the root logger");
  }

  /** Records every report, where JUL's default ErrorManager prints only the first. */
  static final class RecordingErrorManager extends ErrorManager {
    final List<String> reports = new CopyOnWriteArrayList<>();

    @Override
    public void error(String msg, Exception ex, int code) {
      reports.add(code + ": " + msg + (ex != null ? " / " + ex : ""));
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    Await.until(what, timeout, condition);
  }

  static Set<String> tributaryThreads() {
    return Await.threadsNamed("tributary-");
  }

  static void assertNoTributaryThreads() {
    Await.noTributaryThreads();
  }
}
