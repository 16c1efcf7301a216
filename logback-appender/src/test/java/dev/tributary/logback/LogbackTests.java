package dev.tributary.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import dev.tributary.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Loads a logback.xml from the test classpath the way an application's would be, and waits on conditions. */
final class LogbackTests {

  private LogbackTests() {}

  /** Resets the context and configures it from {@code resource}, with {@code tributary.port} set. */
  static LoggerContext configure(String resource, int port) throws JoranException {
    System.setProperty("tributary.port", Integer.toString(port));
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    ctx.getStatusManager().clear();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    configurator.doConfigure(LogbackTests.class.getResource("/" + resource));
    if (!ctx.isStarted()) {
      ctx.start(); // as at application start; a stopped context ignores stop()
    }
    return ctx;
  }

  /** Stops every appender (so Tributary drains) and leaves an empty, quiet context. */
  static void reset() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    ctx.getStatusManager().clear();
    for (StatusListener l : ctx.getStatusManager().getCopyOfStatusListenerList()) {
      ctx.getStatusManager().remove(l);
    }
  }

  /** Status messages at {@code level} or above (Status.WARN, Status.ERROR), with their causes. */
  static List<String> statuses(LoggerContext ctx, int level) {
    return ctx.getStatusManager().getCopyOfStatusList().stream()
        .filter(s -> s.getLevel() >= level)
        .map(LogbackTests::describe)
        .collect(Collectors.toList());
  }

  private static String describe(Status s) {
    return s.getMessage() + (s.getThrowable() != null ? " / " + s.getThrowable() : "");
  }

  /** Collects status messages from now on, across {@code LoggerContext.stop()}, which clears the status list. */
  static List<String> collectStatuses(LoggerContext ctx, int level) {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ctx.getStatusManager().add(new StatusListener() {
      @Override
      public void addStatusEvent(Status status) {
        if (status.getLevel() >= level) {
          seen.add(describe(status));
        }
      }

      @Override
      public boolean isResetResistant() {
        return true;
      }
    });
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
