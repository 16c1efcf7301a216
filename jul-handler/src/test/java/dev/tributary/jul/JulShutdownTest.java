package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.testkit.ChildJvm;
import dev.tributary.testkit.ForwardServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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
  void allTenThousandEventsArriveWhenTheJvmExitsNormally() throws Exception {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).build()) {
      Path config = Path.of(JulShutdownTest.class.getResource("/logging-shutdown.properties").toURI());
      ChildJvm.Result child = ChildJvm.run(Child.class, Duration.ofSeconds(60),
          "-Djava.util.logging.config.file=" + config, "-Dtributary.port=" + server.port());
      assertEquals(0, child.exitCode(), child.output());
      server.awaitEventCount(10_000, Duration.ofSeconds(5));
      assertEquals(10_000, server.eventCount(), child.output());
    }
  }
}
