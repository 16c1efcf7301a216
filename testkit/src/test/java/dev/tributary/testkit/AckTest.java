package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.value.ValueType;

/** Acks: sent only for a chunk, with the same id, after the events are stored, in order. */
class AckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;

  @Test
  void ackEchoesTheChunkIdOnlyAfterTheEventsAreStored() {
    String chunk = "cQ2Zr1Ffy4dDs3kR+3yaCg==\n"; // fluentd's Base64 form, trailing newline included
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(Wire.message("app", SECONDS, 0, Map.of("k", 1), chunk));

      var ack = client.readAckValue();
      assertEquals(ValueType.STRING, ack.getValueType());
      assertEquals(chunk, ack.asStringValue().asString());
      assertEquals(1, server.events().size(), "events are stored before the ack is written");
      assertEquals(1, server.acksSent());
    }
  }

  @Test
  void acksFollowRequestOrderAndSkipRequestsWithoutAChunk() {
    try (ForwardServer server = ForwardServer.start();
        TestClient client = TestClient.connect(server)) {
      client.send(
          Wire.message("app", SECONDS, 0, Map.of(), "a"),
          Wire.message("app", SECONDS, 0, Map.of(), null),
          Wire.message("app", SECONDS, 0, Map.of(), "c"),
          Wire.message("app", SECONDS, 0, Map.of(), "d"));

      assertEquals("a", client.readAck());
      assertEquals("c", client.readAck());
      assertEquals("d", client.readAck());
      assertEquals(3, server.acksSent());
      assertEquals(4, server.events().size());
    }
  }

  @Test
  void ackDelayHoldsBackAcksButNotReadingAndKeepsTheirOrder() {
    Duration delay = Duration.ofMillis(500);
    try (ForwardServer server = ForwardServer.builder().ackDelay(delay).start();
        TestClient client = TestClient.connect(server)) {
      long sent = System.nanoTime();
      client.send(
          Wire.message("app", SECONDS, 0, Map.of(), "a"),
          Wire.message("app", SECONDS, 0, Map.of(), "b"));

      server.awaitEvents(2, TIMEOUT);
      assertEquals(0, server.acksSent(), "both requests were read while their acks wait");
      assertEquals("a", client.readAck());
      assertTrue(System.nanoTime() - sent >= delay.toNanos(), "the ack came before the delay");
      assertEquals("b", client.readAck());

      server.ackDelay(Duration.ZERO);
      client.send(Wire.message("app", SECONDS, 0, Map.of(), "c"));
      assertEquals("c", client.readAck());
    }
  }
}
