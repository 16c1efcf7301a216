package dev.tributary.jul;

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

/** A child JVM logs 10,000 records and returns from main; JUL's own shutdown hook delivers them all. */
class JulShutdownTest {

  /** The child: configured by -Djava.util.logging.config.file=.../logging-shutdown.properties. */
  public static final class Child {
    public static void main(String[] args) {
      java.util.logging.Logger log = java.util.logging.Logger.getLogger("child");
      for (int i = 0; i < 10_000; i++) {
        log.log(java.util.logging.Level.INFO, "event {0}", i);
      }
    }
  }

  @Test
  void allTenThousandEventsArriveWhenTheJvmExitsNormally(@TempDir Path dir) throws Exception {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).build().start()) {
      Path output = dir.resolve("child.log");
      Path config = Path.of(JulShutdownTest.class.getResource("/logging-shutdown.properties").toURI());
      Process child = new ProcessBuilder(
          System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
          "-cp", System.getProperty("java.class.path"),
          "-Djava.util.logging.config.file=" + config,
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
