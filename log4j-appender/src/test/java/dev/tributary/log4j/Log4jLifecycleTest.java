package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.FailureReason;
import dev.tributary.Tributary;
import dev.tributary.testkit.ForwardServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stopping drains and reports loss; a reconfiguration with the same options keeps the buffer. */
class Log4jLifecycleTest {

  @AfterEach
  void cleanUp() throws Exception {
    Log4jTests.reset();
    Log4jTests.assertNoTributaryThreads();
  }

  @Test
  void thePluginDescriptorIsGeneratedAtBuildTime() {
    Path dat = Path.of("target/classes/META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat");
    assertTrue(Files.isRegularFile(dat), "log4j-core's annotation processor ran: " + dat.toAbsolutePath());
  }

  @Test
  void stoppingTheConfigurationDeliversEverythingBuffered() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      Log4jTests.configure("log4j2-shutdown.xml", server.port());
      Logger log = LogManager.getLogger("app");
      for (int i = 0; i < 500; i++) {
        log.info("event {}", i);
      }
      Log4jTests.reset();
      assertEquals(500, server.eventCount(), "acknowledged, so stored, before the old configuration stopped");
      assertTrue(Log4jTests.tributaryThreads().isEmpty());
    }
  }

  @Test
  void log4jsShortStopBoundDoesNotCutTheDrainShort() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = Log4jTests.configure("log4j2-shutdown.xml", server.port());
      Tributary tributary = ((TributaryAppender) ctx.getConfiguration().getAppender("FLUENT")).forwarder().tributary();
      server.ackDelay(Duration.ofMillis(200));
      for (int i = 0; i < 100; i++) {
        LogManager.getLogger("app").info("event {}", i);
      }
      ctx.stop(50, java.util.concurrent.TimeUnit.MILLISECONDS); // what LogManager.shutdown() passes
      assertEquals(100, tributary.metrics().delivered(), "acknowledged after 200 ms: closeTimeout, not 50 ms, bounded the drain");
    }
  }

  @Test
  void stopWithADeadAggregatorReportsTheLossThroughTheStatusLogger() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      List<String> warnings = Log4jTests.collectStatuses(Level.WARN);
      LoggerContext lossy = Log4jTests.configure("log4j2-lossy.xml", server.port());
      TributaryAppender fluent = (TributaryAppender) lossy.getConfiguration().getAppender("FLUENT");
      Logger log = LogManager.getLogger("app");
      for (int i = 0; i < 10; i++) {
        log.info("event {}", i);
      }
      long started = System.nanoTime();
      ((LoggerContext) LogManager.getContext(false)).stop();
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "closeTimeout bounds stop()");
      String all = String.join("\n", warnings);
      assertTrue(all.contains("tributary[FLUENT] stopped: 10 of 10 events may have been lost"), all);
      assertEquals(10, fluent.metrics().failed(FailureReason.UNDELIVERED_AT_CLOSE),
          "every lost event is counted, readable after stop: " + fluent.metrics());
    }
  }

  @Test
  void reconfiguringWithTheSameOptionsKeepsTheRunningInstance() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = Log4jTests.configure("log4j2-lossy.xml", server.port());
      Tributary before = ((TributaryAppender) ctx.getConfiguration().getAppender("FLUENT")).forwarder().tributary();
      LogManager.getLogger("app").info("before");
      ctx.reconfigure();
      Tributary after = ((TributaryAppender) ctx.getConfiguration().getAppender("FLUENT")).forwarder().tributary();
      LogManager.getLogger("app").info("after");
      assertSame(before, after, "the manager, its buffer and its connection survive the reconfiguration");
      server.awaitEvents(2, Duration.ofSeconds(20));
      Log4jTests.reset(); // stop logging while the server can still ack
    }
  }
}
