package dev.tributary.benchmarks.peers;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.more.appenders.FluencyLogbackAppender;

/**
 * logback-more-appenders' {@code FluencyLogbackAppender}: builds a map per event and hands it to a
 * Fluency instance. When Fluency's buffer is full, its {@code emit} throws and the appender turns
 * that into a logback {@code addError}: the event is dropped, and the error status is what this
 * subject counts as a drop. Buffer budget and acks as for {@link FluencySubject}; the rest is the
 * appender's default.
 */
final class MoreAppendersSubject extends LogbackSubject {

  @Override
  protected Appender<ILoggingEvent> createAppender(LoggerContext context, SubjectConfig config) {
    FluencyLogbackAppender<ILoggingEvent> a = new FluencyLogbackAppender<>();
    a.setTag(SuiteRecord.TAG);
    a.setRemoteHost(config.host());
    a.setPort(config.port());
    a.setAckResponseMode(config.requireAck());
    a.setMaxBufferSize(config.bufferBytes());
    // EventTime (the logback event's millisecond time) like the other forward subjects, not
    // whole seconds
    a.setUseEventTime(true);
    return a;
  }

  @Override
  public long dropped() {
    return statusErrors.sum();
  }
}
