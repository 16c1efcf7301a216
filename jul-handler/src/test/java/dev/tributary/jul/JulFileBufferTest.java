package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.testkit.ForwardServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bufferPath} set in logging.properties: what a close leaves undelivered, the next start delivers. */
class JulFileBufferTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @AfterEach
  void reset() {
    JulTests.reset();
    System.clearProperty("tributary.bufferPath");
  }

  @Test
  void eventsLoggedWhileTheServerIsDownAreDeliveredAfterARestartFromTheDirectory() throws Exception {
    System.setProperty("tributary.bufferPath", dir.toString());
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      JulTests.configure("logging-file-buffer.properties", server.port());
      for (int i = 0; i < 5; i++) {
        Logger.getLogger("app").info("kept " + i);
      }
      TributaryHandler fluent = JulTests.handler();
      JulTests.reset();
      assertEquals(5, fluent.metrics().keptOnDiskEvents(), fluent.metrics().toString());
      server.refuseConnections(false);
      JulTests.configure("logging-file-buffer.properties", server.port());
      assertEquals("kept 0", server.awaitEvents(5, WAIT).get(0).get("message"));
    }
  }
}
