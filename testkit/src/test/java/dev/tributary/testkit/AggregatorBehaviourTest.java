package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The limits real aggregators are configured with: Fluentd's {@code chunk_size_limit} and {@code
 * deny_keepalive}, Fluent Bit's {@code buffer_max_size}.
 */
class AggregatorBehaviourTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;

  private static byte[] message(String chunk) {
    return Wire.message("app", SECONDS, 0, Map.of("chunk", chunk), chunk);
  }

  private static List<Map<String, ?>> records(int n) {
    List<Map<String, ?>> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(Map.of("i", i, "msg", "event number " + i));
    }
    return records;
  }

  private static List<Object> chunksStored(ForwardServer server) {
    return server.events().stream().map(e -> e.get("chunk")).toList();
  }

  @Test
  void dropRequestsOverReadsTheRequestAndDropsItWithoutAckOnAConnectionThatStaysOpen() {
    byte[] small = message("small");
    byte[] big = Wire.packed("app", Wire.entries(SECONDS, records(100)), Map.of("chunk", "big"));
    try (ForwardServer server = ForwardServer.builder().dropRequestsOver(small.length).start();
        TestClient client = TestClient.connect(server)) {
      client.send(big, small);

      assertEquals("small", client.readAck(), "acks keep request order, so big was never acked");
      client.send(message("after"));
      assertEquals("after", client.readAck(), "the connection stays usable");
      assertEquals(List.of("small", "after"), chunksStored(server));
      assertEquals(1, server.droppedRequestCount());
      assertEquals(2, server.acksSent());
      assertEquals(1, server.connectionCount());

      ReceivedRequest dropped = server.requests().get(0);
      assertTrue(dropped.dropped());
      assertEquals("big", dropped.chunkId());
      assertEquals(100, dropped.eventCount());
      assertEquals(big.length, dropped.sizeInBytes());
      assertFalse(server.requests().get(1).dropped(), "a request of exactly the limit is kept");
    }
  }

  @Test
  void dropRequestsOverIsSetAndClearedAtRunTimeAndCountedInCountOnlyMode() {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).start();
        TestClient client = TestClient.connect(server)) {
      server.dropRequestsOver(10);
      client.send(message("a"));
      Await.until("the request to be dropped", TIMEOUT, () -> server.droppedRequestCount() == 1);

      server.dropRequestsOver(ForwardServerConfig.NO_SIZE_LIMIT);
      client.send(message("b"));
      assertEquals("b", client.readAck());
      assertEquals(1, server.eventCount());
      assertEquals(2, server.requestCount());
      assertThrows(IllegalArgumentException.class, () -> server.dropRequestsOver(0));
    }
  }

  @Test
  void resetOnRequestOverResetsTheConnectionStoresNothingAndDropsWhatFollows() {
    byte[] big = Wire.forward("app", SECONDS, records(40), "big");
    try (ForwardServer server = ForwardServer.builder().resetOnRequestOver(1024).start()) {
      try (TestClient client = TestClient.connect(server)) {
        client.send(message("a"));
        assertEquals("a", client.readAck());

        // One write, so the reset cannot come between two writes and fail the second.
        client.send(Wire.concat(big, message("b")));
        client.assertResetByServer();
      }
      assertEquals(1, server.oversizeResetCount());
      assertEquals(List.of("a"), chunksStored(server));
      assertEquals(1, server.requests().size());
      assertEquals(1, server.acksSent());

      try (TestClient again = TestClient.connect(server)) {
        again.send(message("c"));
        assertEquals("c", again.readAck(), "a new connection works");
      }
    }
  }

  @Test
  void resetOnRequestOverResetsOnAPackedLengthBeforeTheBulkArrives() {
    // Never read: the length header alone puts the request over the limit.
    byte[] huge = Wire.packed("app", new byte[4 * 1024 * 1024], Map.of("chunk", "huge"));
    try (ForwardServer server =
            ForwardServer.builder().receiveBufferSize(4096).resetOnRequestOver(64 * 1024).start();
        TestClient client = TestClient.connect(server, 4096)) {
      CompletableFuture<Void> write = client.sendAsync(huge);

      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> write.get(5, TimeUnit.SECONDS),
              "a write far larger than the socket buffers fails when the server resets");
      assertInstanceOf(UncheckedIOException.class, failed.getCause());
      server.awaitOpenConnections(0, TIMEOUT);
      assertEquals(1, server.oversizeResetCount());
      assertEquals(0, server.eventCount());
      assertTrue(server.requests().isEmpty());
    }
  }

  @Test
  void denyKeepaliveAcksTheFirstRequestStoresWhatWasPipelinedWithoutAckThenResets() {
    try (ForwardServer server = ForwardServer.builder().denyKeepalive(true).start()) {
      try (TestClient client = TestClient.connect(server)) {
        client.send(Wire.concat(message("a"), message("b")));

        assertEquals("a", client.readAck());
        client.assertResetByServer();
      }
      assertEquals(List.of("a", "b"), chunksStored(server), "b arrived in the same read: stored, never acked");
      assertEquals(2, server.requests().size());
      assertEquals(1, server.acksSent());

      try (TestClient noAck = TestClient.connect(server)) {
        noAck.send(Wire.message("app", SECONDS, 0, Map.of("chunk", "none"), null));
        noAck.assertResetByServer();
      }
      assertEquals(List.of("a", "b", "none"), chunksStored(server));

      server.denyKeepalive(false);
      try (TestClient keepalive = TestClient.connect(server)) {
        keepalive.send(message("c"), message("d"));
        assertEquals("c", keepalive.readAck());
        assertEquals("d", keepalive.readAck());
      }
      assertEquals(3, server.connectionCount());
    }
  }

  @Test
  void denyKeepaliveSendsADelayedAckBeforeTheReset() {
    try (ForwardServer server = ForwardServer.builder()
            .denyKeepalive(true).ackDelay(Duration.ofMillis(200)).start();
        TestClient client = TestClient.connect(server)) {
      client.send(message("a"));

      assertEquals("a", client.readAck());
      client.assertResetByServer();
    }
  }
}
