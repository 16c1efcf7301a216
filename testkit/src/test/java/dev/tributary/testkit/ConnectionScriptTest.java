package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Scripted connection trouble: cut after n bytes, stalled reads, refused connections. */
class ConnectionScriptTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;

  @Test
  void closeAfterBytesStoresCompleteRequestsAndDropsTheOneCutShort() {
    byte[] first = Wire.message("app", SECONDS, 0, Map.of("n", 1), "c1");
    byte[] second = Wire.message("app", SECONDS, 0, Map.of("n", 2), "c2");
    try (ForwardServer server = ForwardServer.start()) {
      server.closeAfterBytes(first.length + second.length / 2);
      try (TestClient client = TestClient.connect(server)) {
        client.send(first, second);

        assertEquals("c1", client.readAck());
        client.assertClosedByServer();
      }
      assertEquals(1, server.events().size());
      assertEquals(1L, server.events().get(0).get("n"));

      try (TestClient again = TestClient.connect(server)) {
        again.send(second);
        assertEquals("c2", again.readAck(), "the byte budget cuts one connection only");
      }
    }
  }

  @Test
  void stallReadingBlocksTheClientUntilReadingResumes() throws Exception {
    List<Map<String, ?>> records = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      records.add(Map.of("i", i, "pad", "x".repeat(80)));
    }
    byte[] big = Wire.packed("app", Wire.entries(SECONDS, records), Map.of("chunk", "big"));
    try (ForwardServer server = ForwardServer.builder().receiveBufferSize(4096).start();
        TestClient client = TestClient.connect(server, 4096)) {
      server.stallReading(true);
      CompletableFuture<Void> write = CompletableFuture.runAsync(() -> client.send(big));

      assertThrows(TimeoutException.class, () -> write.get(300, TimeUnit.MILLISECONDS),
          "a " + big.length + "-byte write cannot complete while the server does not read");
      assertEquals(0, server.eventCount());

      server.stallReading(false);
      write.get(5, TimeUnit.SECONDS);
      assertEquals("big", client.readAck());
      assertEquals(20_000, server.eventCount());
    }
  }

  @Test
  void refuseConnectionsClosesEverythingThenAcceptsAgainOnTheSamePort() throws IOException {
    try (ForwardServer server = ForwardServer.start()) {
      int port = server.port();
      TestClient first = TestClient.connect(server);
      first.send(Wire.message("app", SECONDS, 0, Map.of(), "a"));
      assertEquals("a", first.readAck());

      server.refuseConnections(true);
      first.assertClosedByServer();
      first.close();
      assertEquals(0, server.openConnections());
      assertThrows(ConnectException.class, () -> new Socket(server.host(), port).close());

      server.refuseConnections(false);
      assertEquals(port, server.port());
      try (TestClient second = TestClient.connect(server)) {
        second.send(Wire.message("app", SECONDS, 0, Map.of(), "b"));
        assertEquals("b", second.readAck());
      }

      server.stop();
      assertThrows(ConnectException.class, () -> new Socket(server.host(), port).close());
      server.restart();
      try (TestClient third = TestClient.connect(server)) {
        third.send(Wire.message("app", SECONDS, 0, Map.of(), "c"));
        assertEquals("c", third.readAck());
      }
      assertEquals(3, server.connectionCount());
      assertEquals(3, server.events().size());
    }
  }
}
