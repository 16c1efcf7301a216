package dev.tributary.log4j;

import dev.tributary.logging.Diagnostics;
import dev.tributary.logging.LogAdapterConfig;
import dev.tributary.logging.LogForwarder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractManager;
import org.apache.logging.log4j.core.appender.ManagerFactory;

/**
 * Holds one running {@link LogForwarder} (and so one Tributary instance, its buffer and its
 * connection) for as long as any appender uses it. Keyed by appender name and options, so a
 * reconfiguration that keeps the options keeps the buffer and the connection, as log4j2's own
 * socket managers do; the last appender to stop drains and closes it.
 */
final class TributaryManager extends AbstractManager {

  private static final Factory FACTORY = new Factory();

  private final LogForwarder<LogEvent> forwarder;

  private TributaryManager(String key, LogForwarder<LogEvent> forwarder) {
    super(null, key);
    this.forwarder = forwarder;
  }

  /**
   * The manager for {@code appenderName} with {@code config}, started if new.
   *
   * @throws IllegalArgumentException naming the bad options
   */
  static TributaryManager get(String appenderName, LogAdapterConfig config) {
    return getManager("Tributary:" + appenderName + ":" + config.describe(), FACTORY, new Settings(appenderName, config));
  }

  LogForwarder<LogEvent> forwarder() {
    return forwarder;
  }

  /**
   * Drains for {@code timeout} or {@code closeTimeout}, whichever is longer: log4j2 passes short
   * bounds it did not get from the user ({@code LogManager.shutdown()} gives 50 ms, and 0 means
   * none), and a healthy aggregator makes the drain return as soon as it is done anyway.
   */
  @Override
  protected boolean releaseSub(long timeout, TimeUnit timeUnit) {
    Duration given = Duration.ofNanos(timeUnit.toNanos(Math.max(0, timeout)));
    Duration bound = forwarder.closeTimeout();
    forwarder.stop(given.compareTo(bound) > 0 ? given : bound);
    return true;
  }

  private static final class Settings {
    final String appenderName;
    final LogAdapterConfig config;

    Settings(String appenderName, LogAdapterConfig config) {
      this.appenderName = appenderName;
      this.config = config;
    }
  }

  private static final class Factory implements ManagerFactory<TributaryManager, Settings> {
    @Override
    public TributaryManager createManager(String key, Settings s) {
      Diagnostics diagnostics = new StatusDiagnostics(s.appenderName);
      return new TributaryManager(key, s.config.start(s.appenderName, Log4jAccessor.INSTANCE, diagnostics));
    }
  }

  /**
   * Tributary's reports go to log4j2's StatusLogger, which never routes to appenders, at ERROR,
   * the level log4j2 prints to standard error by default (as its own socket appenders report a
   * lost connection): a failed connection (at most once per {@code reportInterval}), loss
   * summaries and the loss at stop are seen without {@code status="warn"}. {@code <Configuration
   * status="off">} silences them.
   */
  private static final class StatusDiagnostics implements Diagnostics {
    private final String appender;

    StatusDiagnostics(String appender) {
      this.appender = appender;
    }

    @Override
    public void warn(String message, Throwable cause) {
      error(message, cause);
    }

    @Override
    public void error(String message, Throwable cause) {
      if (cause == null) {
        LOGGER.error("Tributary appender {}: {}", appender, message);
      } else {
        LOGGER.error("Tributary appender {}: {}", appender, message, cause);
      }
    }
  }
}
