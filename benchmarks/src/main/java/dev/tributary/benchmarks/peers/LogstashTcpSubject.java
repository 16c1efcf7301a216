package dev.tributary.benchmarks.peers;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.util.concurrent.atomic.LongAdder;
import net.logstash.logback.appender.LogstashTcpSocketAppender;
import net.logstash.logback.appender.listener.TcpAppenderListener;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * logstash-logback-encoder's {@code LogstashTcpSocketAppender} with its {@code LogstashEncoder}:
 * the caller puts the event in a ring buffer; one thread encodes JSON lines and writes them to
 * TCP. There are no acks and no forward protocol, so it sends to a {@link LineCountServer}. When
 * the ring buffer is full the event is dropped at once (its default {@code appendTimeout} of 0);
 * its listener's {@code eventAppendFailed} is the drop count here. The ring buffer gets the same
 * capacity in events as every subject's buffer (rounded up to a power of two).
 */
final class LogstashTcpSubject extends LogbackSubject {

  private final LongAdder dropped = new LongAdder();
  private final LongAdder sendFailures = new LongAdder();

  @Override
  protected Appender<ILoggingEvent> createAppender(LoggerContext context, SubjectConfig config) {
    LogstashTcpSocketAppender a = new LogstashTcpSocketAppender();
    a.setContext(context);
    a.addDestination(config.host() + ":" + config.port());
    a.setRingBufferSize(config.capacityPowerOfTwo());
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    a.setEncoder(encoder);
    a.addListener(new TcpAppenderListener<>() {
      @Override
      public void eventAppendFailed(Appender<ILoggingEvent> appender, ILoggingEvent event, Throwable reason) {
        dropped.increment();
      }

      @Override
      public void eventSendFailure(Appender<ILoggingEvent> appender, ILoggingEvent event, Throwable reason) {
        sendFailures.increment();
      }
    });
    return a;
  }

  @Override
  public long dropped() {
    return dropped.sum() + sendFailures.sum();
  }
}
