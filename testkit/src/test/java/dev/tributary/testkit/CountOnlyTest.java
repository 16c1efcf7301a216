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
      assertTrue(server.requests().isEmpty());
      server.awaitEventCount(1511, TIMEOUT);
    }
  }

  @Test
  void awaitEventsIsRejectedBecauseNothingIsKept() {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).start()) {
      assertThrows(IllegalStateException.class, () -> server.awaitEvents(1, TIMEOUT));
    }
  }
}
