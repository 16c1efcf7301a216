package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.DropReason;
import dev.tributary.Filters;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The handler runs a filter chain given in code over its records. */
class JulFiltersTest {

  @Test
  void recordsPassTheFiltersBeforeTheyAreSent() {
    try (ForwardServer server = ForwardServer.start()) {
      TributaryHandler handler = new TributaryHandler(
          Map.of("servers", "127.0.0.1:" + server.port(), "name", "filteredjul", "flushInterval", "20ms"),
          List.of(Filters.grep().exclude("level", "^DEBUG$").build(),
              Filters.recordTransformer().record("first", "${tag_parts[0]}").build()));
      handler.publish(new LogRecord(Level.FINE, "dropped by grep")); // FINE is DEBUG in the record
      LogRecord info = new LogRecord(Level.INFO, "kept");
      info.setLoggerName("shop");
      handler.publish(info);
      ReceivedEvent e = server.awaitEvents(1, Duration.ofSeconds(30)).get(0);
      assertEquals("kept", e.get("message"));
      assertEquals("app", e.get("first"));
      handler.close();
      TributaryMetrics m = handler.metrics();
      assertEquals(1, m.dropped(DropReason.FILTERED));
      assertEquals(m.emitted(), m.delivered() + m.droppedTotal() + m.failedTotal());
    }
    Await.noTributaryThreads("filteredjul");
  }
}
