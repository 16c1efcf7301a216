package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many tags ({@code app.<logger>}, per-tenant tags) are a normal case: open chunks must not pin the budget. */
class ManyTagsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Map<String, Object> RECORD = Map.of(
      "message", "Order 4711 accepted for customer 0815: 3 items, total 99.95 EUR", "level", "INFO");

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  @Test
  void oneEventOnEachOfTenThousandTagsIsDeliveredWithTheDefaultBudget() {
    int tags = 10_000;
    try (ForwardServer server = ForwardServer.builder().countOnly(true).start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).build()) {
      for (int i = 0; i < tags; i++) {
        t.emit("app.tenant" + i, RECORD);
      }
      TributaryMetrics m = t.metrics();
      assertEquals(0, m.dropped(DropReason.BUFFER_FULL), "dropped for want of memory");
      assertEquals(tags, m.emitted());
      Await.until("all delivered", WAIT, () -> t.metrics().delivered() == tags);
      server.awaitEventCount(tags, WAIT);
      assertEquals(0, t.metrics().droppedTotal());
    }
  }

  @Test
  void tenThousandOpenChunksFitTheDefaultBudgetWithoutWaiting() {
    int tags = 10_000;
    try (ForwardServer server = ForwardServer.builder().countOnly(true).start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port())
            .flushInterval(Duration.ofMinutes(10))
            .overflowPolicy(OverflowPolicy.DROP_NEWEST)
            .build()) {
      for (int i = 0; i < tags; i++) {
        t.emit("app.tenant" + i, RECORD);
      }
      TributaryMetrics m = t.metrics();
      assertEquals(0, m.droppedTotal(), "every tag's first event found room at once");
      assertEquals(tags, m.bufferedEvents());
      assertTrue(m.bufferedBytes() <= tags * 2048L, "held " + m.bufferedBytes() + " bytes");
      t.flush();
      server.awaitEventCount(tags, WAIT);
      Await.until("all delivered", WAIT, () -> t.metrics().delivered() == tags);
    }
  }

  @Test
  void whenTheBudgetRunsOutEveryOpenChunkIsSealedSoMemoryComesBack() {
    int tags = 10_000;
    try (ForwardServer server = ForwardServer.builder().countOnly(true).start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port())
            .bufferMaxBytes(1024 * 1024)
            // nothing seals by age during the test: only running out of memory does
            .flushInterval(Duration.ofMinutes(10))
            .maxBlock(Duration.ofSeconds(30))
            .build()) {
      for (int i = 0; i < tags; i++) {
        t.emit("app.tenant" + i, RECORD);
      }
      assertEquals(0, t.metrics().droppedTotal());
      t.flush();
      server.awaitEventCount(tags, WAIT);
      Await.until("all delivered", WAIT, () -> t.metrics().delivered() == tags);
    }
  }

  @Test
  void anOpenChunkOfOneSmallEventHoldsAtMostTwoKib() {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).start();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port())
            .flushInterval(Duration.ofMinutes(10)).build()) {
      t.emit("app.orders", RECORD);
      TributaryMetrics m = t.metrics();
      assertEquals(1, m.bufferedEvents());
      assertTrue(m.bufferedBytes() > 0 && m.bufferedBytes() <= 2048, "held " + m.bufferedBytes() + " bytes");
      t.flush();
      Await.until("delivered", WAIT, () -> t.metrics().delivered() == 1);
      Await.until("the page given back", WAIT, () -> t.metrics().bufferedBytes() == 0);
    }
  }
}
