package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.FaultProxy;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code health()}: UP, DEGRADED and DOWN as servers fail and come back, events are lost, and at close. */
class HealthTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Tributary.Builder client(String host, int port) {
    return Tributary.builder().server(host, port)
        .flushInterval(Duration.ofMillis(20))
        .retryInitialBackoff(Duration.ofMillis(20)).retryMaxBackoff(Duration.ofMillis(100))
        .heartbeatType(HeartbeatType.NONE) // the verdicts here come from the data connections alone
        .listener(TributaryListener.NONE);
  }

  private static void awaitState(Tributary t, Health.State state) {
    Await.until("health " + state + " (now " + t.health() + ")", WAIT, () -> t.health().state() == state);
  }

  @Test
  void upThenDegradedWhileTheServerIsDownThenUpWhenItIsBackAndDownAfterClose() {
    try (ForwardServer server = ForwardServer.start();
         FaultProxy proxy = FaultProxy.start(server)) {
      Tributary t = client(proxy.host(), proxy.port()).name("health-flow").build();
      try {
        Health fresh = t.health();
        assertEquals(Health.State.UP, fresh.state(), fresh.toString());
        assertEquals(1, fresh.servers());
        assertTrue(fresh.lastError().isEmpty());

        t.emit("app.health", Map.of("n", 1));
        server.awaitEvents(1, WAIT);
        Await.until("delivered", WAIT, () -> t.metrics().delivered() == 1);
        Health up = t.health();
        assertEquals(Health.State.UP, up.state(), up.toString());
        assertEquals(1, up.connectedServers());

        proxy.refuseConnections(true); // the host is down: connections reset, new ones refused
        t.emit("app.health", Map.of("n", 2));
        awaitState(t, Health.State.DEGRADED);
        Health degraded = t.health();
        assertTrue(degraded.reason().startsWith("retrying"), degraded.toString());
        assertTrue(degraded.lastError().isPresent() && degraded.lastErrorTime().isPresent(), degraded.toString());
        assertEquals(0, degraded.connectedServers(), degraded.toString());

        proxy.refuseConnections(false);
        awaitState(t, Health.State.UP);
        // the ack that ended the failing run also delivers the event held while the server was down
        Await.until("the held event delivered", WAIT, () -> t.metrics().delivered() == 2);
        server.awaitEvents(2, WAIT);
      } finally {
        t.close();
      }
      Health closed = t.health();
      assertEquals(Health.State.DOWN, closed.state(), closed.toString());
      assertEquals("closed", closed.reason());
    }
  }

  @Test
  void downOnceEveryServerFailedForRetryTimeoutAndUpWhenOneIsBack() {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      try (Tributary t = client(server.host(), server.port()).name("health-down")
          .retryTimeout(Duration.ofMillis(300)).reportInterval(Duration.ofMillis(300)).build()) {
        t.emit("app.health", Map.of("n", 1));
        awaitState(t, Health.State.DOWN);
        assertTrue(t.health().reason().contains("retryTimeout"), t.health().toString());
        // at its next attempt the flusher gives the chunk up: DOWN is when that is what happens
        Await.until("the chunk given up", WAIT, () -> t.metrics().failed(FailureReason.RETRIES_EXHAUSTED) == 1);
        assertEquals(Health.State.DOWN, t.health().state(), t.health().toString());

        server.refuseConnections(false);
        t.emit("app.health", Map.of("n", 2));
        server.awaitEvents(1, WAIT);
        // the event given up while down is a loss, DEGRADED for reportInterval, then UP
        awaitState(t, Health.State.UP);
        Await.until("delivered", WAIT, () -> t.metrics().delivered() == 1);
      }
    }
  }

  @Test
  void droppedEventsAreDegradedForAReportInterval() {
    try (ForwardServer server = ForwardServer.start();
         Tributary t = client(server.host(), server.port()).name("health-drop")
             .maxEventBytes(1024).reportInterval(Duration.ofMillis(500)).build()) {
      t.emit("app.health", Map.of("n", 1));
      server.awaitEvents(1, WAIT);
      assertEquals(Health.State.UP, t.health().state(), t.health().toString());

      t.emit("app.health", Map.of("big", "x".repeat(4096))); // TOO_LARGE
      Health dropping = t.health();
      assertEquals(Health.State.DEGRADED, dropping.state(), dropping.toString());
      assertTrue(dropping.reason().startsWith("dropping"), dropping.toString());
      awaitState(t, Health.State.UP); // once reportInterval passed without another loss
    }
  }

  @Test
  void bufferFillIsTheShareOfTheBudgetHeld() {
    try (ForwardServer server = ForwardServer.start();
         Tributary t = client(server.host(), server.port()).name("health-fill").bufferMaxBytes(1024 * 1024)
             .flushInterval(Duration.ofSeconds(60)).build()) {
      assertEquals(1024 * 1024, t.health().bufferMaxBytes());
      t.emit("app.health", Map.of("n", 1)); // stays in its open chunk for a minute
      Health h = t.health();
      assertEquals(t.metrics().bufferedBytes(), h.bufferedBytes());
      assertTrue(h.bufferedBytes() > 0 && h.bufferFill() > 0 && h.bufferFill() < 1, h.toString());
    }
  }
}
