package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Count-only mode keeps no events but counts every one exactly, in every mode, and still acks. */
class CountOnlyTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;

  private static List<Map<String, ?>> records(int n) {
    List<Map<String, ?>> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(Map.of("i", i, "msg", "event number " + i));
    }
    return records;
  }

  @Test
  void countsEveryModeExactlyAndStillAcks() {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).start();
        TestClient client = TestClient.connect(server)) {
      client.send(
          Wire.message("app", SECONDS, 0, Map.of("k", "v"), "m"),
          Wire.forward("app", SECONDS, records(10), "f"),
          Wire.packed("app", Wire.entries(SECONDS, records(1000)), Map.of("chunk", "p")),
          Wire.packed("app",
              Wire.gzipMembers(
                  Wire.entries(SECONDS, records(300)), Wire.entries(SECONDS, records(200))),
              Map.of("chunk", "g", "compressed", "gzip")));

      assertEquals("m", client.readAck());
      assertEquals("f", client.readAck());
      assertEquals("p", client.readAck());
      assertEquals("g", client.readAck());
      assertEquals(1 + 10 + 1000 + 500, server.eventCount());
      assertEquals(4, server.requestCount());
      assertTrue(server.events().isEmpty());
      server.awaitEventCount(1511, TIMEOUT);
    }
  }

  @Test
  void requestsKeepTheirMetadata() {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).build();
        TestClient client = TestClient.connect(server)) {
      client.send(
          Wire.message("app.m", SECONDS, 0, Map.of("k", "v"), "m"),
          Wire.forward("app.f", SECONDS, records(10), "f"),
          Wire.packed("app.p", Wire.entries(SECONDS, records(1000)), Map.of("chunk", "p")),
          Wire.packed("app.g", Wire.gzipMembers(Wire.entries(SECONDS, records(5))),
              Map.of("chunk", "g", "compressed", "gzip")));
      for (String ack : List.of("m", "f", "p", "g")) {
        assertEquals(ack, client.readAck());
      }

      List<ReceivedRequest> requests = server.awaitRequests(4, TIMEOUT);
      assertEquals(List.of(EventMode.MESSAGE, EventMode.FORWARD, EventMode.PACKED_FORWARD,
          EventMode.COMPRESSED_PACKED_FORWARD), requests.stream().map(ReceivedRequest::mode).toList());
      assertEquals(List.of("app.m", "app.f", "app.p", "app.g"), requests.stream().map(ReceivedRequest::tag).toList());
      assertEquals(List.of(1L, 10L, 1000L, 5L), requests.stream().map(ReceivedRequest::eventCount).toList());
      assertEquals(List.of("m", "f", "p", "g"), requests.stream().map(ReceivedRequest::chunkId).toList());
      assertEquals("gzip", requests.get(3).options().get("compressed"));
      assertTrue(requests.get(3).compressed());
      assertTrue(requests.get(2).sizeInBytes() > 1000);
      assertTrue(server.events().isEmpty());
    }
  }

  @Test
  void aDroppedRequestIsListedToo() {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).build();
        TestClient client = TestClient.connect(server)) {
      server.enqueueFault(Fault.DROP_AND_CLOSE);
      client.send(Wire.forward("app", SECONDS, records(3), "d"));
      ReceivedRequest dropped = server.awaitRequests(1, TIMEOUT).get(0);
      assertEquals(Fault.DROP_AND_CLOSE, dropped.fault());
      assertEquals(3, dropped.eventCount());
      assertEquals(0, server.eventCount());
    }
  }

  @Test
  void awaitRequestsBeyondWhatIsKeptIsRejected() {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).build()) {
      assertThrows(IllegalArgumentException.class,
          () -> server.awaitRequests(ForwardServer.COUNT_ONLY_REQUESTS_KEPT + 1, TIMEOUT));
    }
  }

  @Test
  void awaitEventsIsRejectedBecauseNothingIsKept() {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).start()) {
      assertThrows(IllegalStateException.class, () -> server.awaitEvents(1, TIMEOUT));
    }
  }
}
