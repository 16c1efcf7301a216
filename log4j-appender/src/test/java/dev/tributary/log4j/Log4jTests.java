package dev.tributary.log4j;

import java.net.URISyntaxException;
import dev.tributary.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/** Loads a log4j2.xml from the test classpath as an application's would be; collects StatusLogger output. */
final class Log4jTests {

  private static final List<StatusListener> LISTENERS = new CopyOnWriteArrayList<>();

  private Log4jTests() {}

  static LoggerContext configure(String resource, int port) throws URISyntaxException {
    System.setProperty("tributary.port", Integer.toString(port));
    CaptureAppender.EVENTS.clear();
    Configurator.reconfigure(Log4jTests.class.getResource("/" + resource).toURI());
    return (LoggerContext) LogManager.getContext(false);
  }

  /** Back to the quiet configuration: the previous one is stopped, so Tributary drains. */
  static void reset() throws URISyntaxException {
    Configurator.reconfigure(Log4jTests.class.getResource("/log4j2-test.xml").toURI());
    for (StatusListener l : LISTENERS) {
      StatusLogger.getLogger().removeListener(l);
    }
    LISTENERS.clear();
    CaptureAppender.EVENTS.clear();
  }

  /** StatusLogger messages at {@code level} or more severe, from now until {@link #reset()}. */
  static List<String> collectStatuses(Level level) {
    List<String> seen = new CopyOnWriteArrayList<>();
    StatusListener listener = new StatusListener() {
      @Override
      public void log(StatusData data) {
        if (data.getLevel().isMoreSpecificThan(level)) {
          seen.add(data.getMessage().getFormattedMessage()
              + (data.getThrowable() != null ? " / " + data.getThrowable() : ""));
        }
      }

      @Override
      public Level getStatusLevel() {
        return level;
      }

      @Override
      public void close() {}
    };
    LISTENERS.add(listener);
    StatusLogger.getLogger().registerListener(listener);
    return seen;
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
