package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.tributary.DropReason;
import dev.tributary.Filters;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The appender runs a filter chain given in code over its records. */
class LogbackFiltersTest {

  @Test
  void recordsPassTheFiltersBeforeTheyAreSent() {
    LoggerContext ctx = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    LogbackTests.reset();
    try (ForwardServer server = ForwardServer.start()) {
      TributaryAppender appender = new TributaryAppender();
      appender.setContext(ctx);
      appender.setName("filtered");
      appender.setServers("127.0.0.1:" + server.port());
      appender.addOption("flushInterval=20ms");
      appender.addRecordFilter(Filters.grep().exclude("level", "^DEBUG$").build());
      appender.addRecordFilter(Filters.redact().build());
      appender.addRecordFilter(Filters.recordTransformer().record("app", "${tag}").removeKeys("thread").build());
      appender.start();
      assertEquals(true, appender.isStarted(), () -> LogbackTests.statuses(ctx, 0).toString());
      Logger log = ctx.getLogger("shop");
      log.setLevel(Level.DEBUG);
      log.setAdditive(false);
      log.addAppender(appender);
      log.debug("dropped by grep");
      log.info("mail from ada@example.com");
      ReceivedEvent e = server.awaitEvents(1, Duration.ofSeconds(30)).get(0);
      assertEquals("mail from ****@example.com", e.get("message"));
      assertEquals("INFO", e.get("level"));
      assertEquals("app", e.get("app"));
      assertEquals(null, e.get("thread"));
      appender.stop();
      TributaryMetrics m = appender.metrics();
      assertEquals(1, m.dropped(DropReason.FILTERED));
      assertEquals(m.emitted(), m.delivered() + m.droppedTotal() + m.failedTotal());
    } finally {
      LogbackTests.reset();
    }
    Await.noTributaryThreads("filtered");
  }
}
