package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.DropReason;
import dev.tributary.Filters;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** The appender runs a filter chain given in code over its records. */
class Log4jFiltersTest {

  @Test
  void recordsPassTheFiltersBeforeTheyAreSent() {
    try (ForwardServer server = ForwardServer.start()) {
      TributaryAppender.Builder<?> b = TributaryAppender.newBuilder();
      b.setName("filtered4j");
      b.setOption("servers", "127.0.0.1:" + server.port());
      b.setOption("flushInterval", "20ms");
      b.addRecordFilter(Filters.grep().exclude("level", "^DEBUG$").build());
      b.addRecordFilter(Filters.redact().build());
      b.addRecordFilter(Filters.rewriteTag().rule("$level ^WARN$ alerts false").build());
      TributaryAppender appender = b.build();
      appender.start();
      appender.append(event(Level.DEBUG, "dropped by grep"));
      appender.append(event(Level.WARN, "card 4111 1111 1111 1111"));
      ReceivedEvent e = server.awaitEvents(1, Duration.ofSeconds(30)).get(0);
      assertEquals("alerts", e.tag());
      assertEquals("card **** **** **** 1111", e.get("message"));
      appender.stop(30, TimeUnit.SECONDS);
      TributaryMetrics m = appender.metrics();
      assertEquals(1, m.dropped(DropReason.FILTERED));
      assertEquals(m.emitted(), m.delivered() + m.droppedTotal() + m.failedTotal());
    }
    Await.noTributaryThreads("filtered4j");
  }

  private static Log4jLogEvent event(Level level, String message) {
    return Log4jLogEvent.newBuilder().setLoggerName("shop").setLevel(level).setMessage(new SimpleMessage(message))
        .setTimeMillis(System.currentTimeMillis()).build();
  }
}
