package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.testkit.ForwardServer;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bufferPath} set in log4j2.xml: what a stop leaves undelivered, the next start delivers. */
class Log4jFileBufferTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @AfterEach
  void reset() throws Exception {
    Log4jTests.reset();
    System.clearProperty("tributary.bufferPath");
  }

  @Test
  void eventsLoggedWhileTheServerIsDownAreDeliveredAfterARestartFromTheDirectory() throws Exception {
    System.setProperty("tributary.bufferPath", dir.toString());
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      LoggerContext ctx = Log4jTests.configure("log4j2-file-buffer.xml", server.port());
      for (int i = 0; i < 5; i++) {
        LogManager.getLogger("app").info("kept {}", i);
      }
      TributaryAppender fluent = ctx.getConfiguration().getAppender("FLUENT");
      Log4jTests.reset();
      assertEquals(5, fluent.metrics().keptOnDiskEvents(), fluent.metrics().toString());
      server.refuseConnections(false);
      Log4jTests.configure("log4j2-file-buffer.xml", server.port());
      assertEquals("kept 0", server.awaitEvents(5, WAIT).get(0).get("message"));
    }
  }
}
