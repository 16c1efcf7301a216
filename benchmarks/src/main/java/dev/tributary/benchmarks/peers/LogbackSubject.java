package dev.tributary.benchmarks.peers;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import java.util.concurrent.atomic.LongAdder;

/**
 * A logging subject: an application's {@code logger.info(PATTERN, ARGUMENT)} through logback into
 * one appender. Each subject has its own {@link LoggerContext}, so several can live in one JVM
 * without sharing appenders, levels or status; the default context (where the peers' own SLF4J
 * diagnostics go) is left alone.
 *
 * <p>Appenders report trouble as logback status messages ({@code addError}); the subject counts
 * the ERROR ones, which for appenders that drop on error (logback-more-appenders) is their drop
 * count.
 */
abstract class LogbackSubject implements Subject {

  /** The appender this subject measures, configured and not yet started. */
  protected abstract Appender<ILoggingEvent> createAppender(LoggerContext context, SubjectConfig config)
      throws Exception;

  /** Errors the appender reported in its context's status. */
  protected final LongAdder statusErrors = new LongAdder();
  private final LongAdder thrown = new LongAdder();
  private volatile String thrownType;
  protected LoggerContext context;
  protected Appender<ILoggingEvent> appender;
  private Logger logger;

  @Override
  public void start(SubjectConfig config) throws Exception {
    QuietLogging.apply();
    context = new LoggerContext();
    context.setName(getClass().getSimpleName());
    // logback 1.5 gives only the default context (through its SLF4J provider) an MDC adapter;
    // events of a context without one fail in every appender that copies the MDC
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.getStatusManager().add(new StatusListener() {
      @Override
      public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() >= Status.ERROR) {
          statusErrors.increment();
        }
      }

      @Override
      public boolean isResetResistant() {
        return true;
      }
    });
    context.start();
    appender = createAppender(context, config);
    appender.setContext(context);
    appender.setName(getClass().getSimpleName());
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalStateException(getClass().getSimpleName() + ": appender did not start; status: "
          + context.getStatusManager().getCopyOfStatusList());
    }
    logger = context.getLogger(SuiteRecord.LOGGER);
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    logger.addAppender(appender);
  }

  @Override
  public void emit() {
    try {
      logger.info(SuiteRecord.PATTERN, SuiteRecord.ARGUMENT);
    } catch (RuntimeException e) {
      // logback catches appender exceptions itself; this would be a bug
      thrown.increment();
      firstThrown(e);
    }
  }

  @Override
  public void flush() {
    // logback has no flush; each appender sends on its own schedule
  }

  @Override
  public long thrown() {
    return thrown.sum();
  }

  @Override
  public String thrownType() {
    return thrownType;
  }

  private void firstThrown(Exception e) {
    if (thrownType == null) {
      thrownType = e.getClass().getName();
    }
  }

  @Override
  public void close() {
    appender.stop(); // what LoggerContext.stop() (a shutdown hook) does for each appender
    context.stop();
  }
}
