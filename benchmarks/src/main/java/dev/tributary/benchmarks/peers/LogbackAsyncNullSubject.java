package dev.tributary.benchmarks.peers;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * The plain-logging floor: logback's {@code AsyncAppender} over an {@code OutputStreamAppender}
 * that formats a usual text line into a stream that discards it ({@link NullSink}). No network, no
 * structure: what any logging costs a request thread.
 *
 * <p>{@code discardingThreshold} is 0 so that it never throws INFO events away silently (its
 * default discards below WARN when the queue is 80% full, and that is not counted anywhere); a
 * full queue blocks the caller instead ({@code neverBlock} false, the default). The queue gets the
 * same capacity in events as every subject's buffer.
 */
final class LogbackAsyncNullSubject extends LogbackSubject {

  static final String PATTERN = "%d{ISO8601} %-5level [%thread] %logger - %msg%n";

  @Override
  protected Appender<ILoggingEvent> createAppender(LoggerContext context, SubjectConfig config) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> out = new OutputStreamAppender<>();
    out.setContext(context);
    out.setName("null-stream");
    out.setEncoder(encoder);
    out.setOutputStream(config.stream());
    out.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setQueueSize(config.capacityEvents());
    async.setDiscardingThreshold(0);
    async.addAppender(out);
    return async;
  }

  @Override
  public long dropped() {
    return 0; // with discardingThreshold 0 and neverBlock false it blocks instead of dropping
  }
}
