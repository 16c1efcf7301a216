package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.ForwardServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM logs 10,000 events and returns from main; log4j2's shutdown hook delivers them all. */
class Log4jShutdownTest {

  /** The child: configured by -Dlog4j2.configurationFile=log4j2-shutdown.xml. */
  public static final class Child {
    public static void main(String[] args) {
      org.apache.logging.log4j.Logger log = org.apache.logging.log4j.LogManager.getLogger("child");
      for (int i = 0; i < 10_000; i++) {
        log.info("event {}", i);
      }
    }
  }

  @Test
  void allTenThousandEventsArriveWhenTheJvmExitsNormally(@TempDir Path dir) throws Exception {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).build().start()) {
      Path output = dir.resolve("child.log");
      Process child = new ProcessBuilder(
          System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
          "-cp", System.getProperty("java.class.path"),
          "-Dlog4j2.configurationFile=log4j2-shutdown.xml",
          "-Dtributary.port=" + server.port(),
          Child.class.getName())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child exited");
      assertEquals(0, child.exitValue(), Files.readString(output));
      server.awaitEventCount(10_000, Duration.ofSeconds(5));
      assertEquals(10_000, server.eventCount(), Files.readString(output));
    }
  }
}
