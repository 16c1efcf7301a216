package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.LoggerContext;
import dev.tributary.testkit.ForwardServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code bufferPath} set in logback.xml: what a stop leaves undelivered, the next start delivers. */
class LogbackFileBufferTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @AfterEach
  void reset() {
    LogbackTests.reset();
    System.clearProperty("tributary.bufferPath");
  }

  @Test
  void eventsLoggedWhileTheServerIsDownAreDeliveredAfterARestartFromTheDirectory() throws Exception {
    System.setProperty("tributary.bufferPath", dir.toString());
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      LoggerContext ctx = LogbackTests.configure("logback-file-buffer.xml", server.port());
      for (int i = 0; i < 5; i++) {
        LoggerFactory.getLogger("app").info("kept {}", i);
      }
      TributaryAppender fluent = (TributaryAppender) ctx.getLogger("ROOT").getAppender("FLUENT");
      ctx.stop();
      assertEquals(5, fluent.metrics().keptOnDiskEvents(), fluent.metrics().toString());
      server.refuseConnections(false);
      LogbackTests.configure("logback-file-buffer.xml", server.port());
      assertEquals("kept 0", server.awaitEvents(5, WAIT).get(0).get("message"));
    }
  }
}
