package dev.tributary.benchmarks.peers;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Fluency and fluent-logger log their own diagnostics through SLF4J, which in this JVM lands in
 * logback's default context, configured by default to print DEBUG to the console. That console
 * output would be charged to whichever subject runs, so the default context is set to WARN and
 * its output counted instead of printed (the first few lines still go to stderr, to show what a
 * library complained about). The subjects under test use their own {@code LoggerContext}s and are
 * not affected.
 */
final class QuietLogging {

  private static final int PRINTED = 5;
  private static final AtomicLong WARNINGS = new AtomicLong();
  private static boolean applied;

  private QuietLogging() {}

  static synchronized void apply() {
    if (applied) {
      return;
    }
    applied = true;
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext)) {
      return;
    }
    LoggerContext ctx = (LoggerContext) factory;
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.WARN);
    AppenderBase<ILoggingEvent> counter = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        if (WARNINGS.incrementAndGet() <= PRINTED) {
          System.err.println("[peer diagnostics] " + e.getLevel() + " " + e.getLoggerName() + ": "
              + e.getFormattedMessage());
        }
      }
    };
    counter.setContext(ctx);
    counter.setName("count-peer-diagnostics");
    counter.start();
    root.addAppender(counter);
  }

  /** Warnings and errors the libraries logged through SLF4J so far in this JVM. */
  static long warnings() {
    return WARNINGS.get();
  }
}
