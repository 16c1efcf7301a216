package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Starting, counting connections, waiting, and closing without leaks. */
class LifecycleTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;

  @Test
  void connectionsAreCountedAndNamedByTheirId() {
    try (ForwardServer server = ForwardServer.start();
        TestClient a = TestClient.connect(server);
        TestClient b = TestClient.connect(server)) {
      a.send(Wire.message("app", SECONDS, 0, Map.of(), "a"));
      b.send(Wire.message("app", SECONDS, 0, Map.of(), "b"));
      assertEquals("a", a.readAck());
      assertEquals("b", b.readAck());

      assertEquals(2, server.connectionCount());
      assertEquals(2, server.openConnections());
      assertEquals(List.of(1, 2),
          server.events().stream().map(ReceivedEvent::connectionId).sorted().toList());
      assertTrue(liveThreads(server).contains("forward-server-" + server.port() + "-conn-1"));

      a.close();
      server.awaitOpenConnections(1, TIMEOUT);
      assertEquals(2, server.connectionCount());
    }
  }

  @Test
  void awaitEventsTimesOutSayingHowManyArrived() {
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(Wire.message("app", SECONDS, 0, Map.of(), "a"));
      assertEquals("a", client.readAck());

      AssertionError error = assertThrows(AssertionError.class,
          () -> server.awaitEvents(2, Duration.ofMillis(100)));
      assertTrue(error.getMessage().contains("expected at least 2 events"), error.getMessage());
      assertTrue(error.getMessage().contains("but 1 arrived"), error.getMessage());
    }
  }

  @Test
  void closeStopsEveryThreadItStartedAndClosesEveryConnection() {
    ForwardServer server = ForwardServer.builder().ackDelay(Duration.ofSeconds(30)).start();
    String prefix = "forward-server-" + server.port() + "-";
    TestClient idle = TestClient.connect(server);
    TestClient stalled = TestClient.connect(server);
    // The second request is read only after the first one's ack was scheduled.
    idle.send(Wire.message("app", SECONDS, 0, Map.of(), "pending-ack"),
        Wire.message("app", SECONDS, 0, Map.of(), null));
    server.awaitEvents(2, TIMEOUT);
    server.stallReading(true);
    stalled.send(Wire.message("app", SECONDS, 0, Map.of(), "stalled"));
    assertTrue(liveThreads(server).contains(prefix + "accept"));
    assertTrue(liveThreads(server).contains(prefix + "acks"));

    server.close();

    assertEquals(List.of(), liveThreads(server));
    assertEquals(0, server.openConnections());
    idle.assertClosedByServer();
    stalled.assertClosedByServer();
    assertEquals(2, server.events().size(), "events stay readable after close");
    assertThrows(IllegalStateException.class, () -> server.refuseConnections(false));
    server.close(); // idempotent
    idle.close();
    stalled.close();
  }

  @Test
  void takeEventsReturnsWhatArrivedSinceTheLastTakeAndKeepsCounting() {
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(Wire.message("app", SECONDS, 0, Map.of("n", 1), "a"),
          Wire.message("app", SECONDS, 0, Map.of("n", 2), "b"));
      assertEquals("a", client.readAck());
      assertEquals("b", client.readAck());

      assertEquals(List.of(1L, 2L), server.takeEvents().stream().map(e -> e.get("n")).toList());
      assertEquals(List.of(), server.takeEvents());
      assertEquals(List.of(), server.events());

      client.send(Wire.message("app", SECONDS, 0, Map.of("n", 3), "c"));
      assertEquals("c", client.readAck());
      assertEquals(3, server.eventCount());
      assertEquals(List.of(3L), server.takeEvents().stream().map(e -> e.get("n")).toList());
    }
  }

  private static List<String> liveThreads(ForwardServer server) {
    String prefix = "forward-server-" + server.port() + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(prefix))
        .sorted()
        .toList();
  }
}
