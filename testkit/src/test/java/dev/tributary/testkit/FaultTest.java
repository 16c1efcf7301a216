package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each scripted {@link Fault} does what it says to exactly one request. */
class FaultTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;

  private static byte[] request(String chunk) {
    return Wire.message("app", SECONDS, 0, Map.of("chunk", chunk), chunk);
  }

  @Test
  void noAckStoresTheEventsAndSkipsOnlyThatAck() {
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      server.enqueueFault(Fault.NO_ACK);
      client.send(request("a"), request("b"));

      assertEquals("b", client.readAck(), "acks are in order, so a was never acked");
      assertEquals(2, server.events().size());
      assertEquals(Fault.NO_ACK, server.requests().get(0).fault());
    }
  }

  @Test
  void wrongAckStoresTheEventsAndAnswersWithAnotherChunkId() {
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      server.enqueueFault(Fault.WRONG_ACK);
      client.send(request("a"));

      assertNotEquals("a", client.readAck());
      assertEquals(1, server.events().size());
    }
  }

  @Test
  void closeBeforeAckStoresTheEventsThenClosesWithoutAcking() {
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      server.enqueueFault(Fault.CLOSE_BEFORE_ACK);
      client.send(request("a"));

      client.assertClosedByServer();
      assertEquals("a", server.awaitEvents(1, TIMEOUT).get(0).get("chunk"));
      assertEquals(0, server.acksSent());
    }
  }

  @Test
  void dropAndCloseStoresNothingAndClosesTheConnection() {
    try (ForwardServer server = ForwardServer.start()) {
      server.enqueueFault(Fault.DROP_AND_CLOSE);
      try (TestClient client = TestClient.connect(server)) {
        client.send(request("a"));
        client.assertClosedByServer();
      }
      assertTrue(server.events().isEmpty());
      assertEquals(Fault.DROP_AND_CLOSE, server.requests().get(0).fault());

      try (TestClient again = TestClient.connect(server)) {
        again.send(request("a"));
        assertEquals("a", again.readAck(), "the fault applied to one request only");
      }
      assertEquals(1, server.events().size());
    }
  }

  @Test
  void faultsAreTakenInOrderOnePerRequest() {
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      server.enqueueFault(Fault.NO_ACK);
      server.enqueueFault(Fault.WRONG_ACK);
      assertEquals(2, server.pendingFaults());
      client.send(request("a"), request("b"), request("c"));

      assertEquals("not-b", client.readAck());
      assertEquals("c", client.readAck());
      assertEquals(0, server.pendingFaults());
    }
  }
}
