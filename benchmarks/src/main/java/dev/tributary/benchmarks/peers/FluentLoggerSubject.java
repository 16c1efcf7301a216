package dev.tributary.benchmarks.peers;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.fluentd.logger.FluentLogger;

/**
 * fluent-logger-java: {@code log(tag, map)} serializes the event and writes it to the socket on
 * the caller's thread, under the sender's lock; there is no background thread and no ack. When a
 * write fails the bytes wait in an 8 MiB pending buffer (its default, kept: it is a retry buffer,
 * not a queue) and {@code log} returns false once that is full: counted in {@link #dropped()}.
 * A server that stops reading blocks the caller inside the socket write.
 */
final class FluentLoggerSubject implements Subject {

  private final Map<String, Object> record = SuiteRecord.fields();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder thrown = new LongAdder();
  private volatile String thrownType;
  private FluentLogger logger;

  @Override
  public void start(SubjectConfig config) {
    QuietLogging.apply();
    // tag = prefix + "." + label = SuiteRecord.TAG
    logger = FluentLogger.getLogger("app", config.host(), config.port());
  }

  @Override
  public void emit() {
    try {
      if (!logger.log("orders", record)) {
        dropped.increment();
      }
    } catch (RuntimeException e) {
      thrown.increment();
      firstThrown(e);
    }
  }

  @Override
  public void flush() {
    logger.flush();
  }

  @Override
  public long dropped() {
    return dropped.sum();
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
    logger.close(); // flushes the pending buffer, then closes the socket
  }
}
