package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.testkit.ChildJvm;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A child JVM logs 10,000 events and returns from main; logback's shutdown hook delivers them all. */
class LogbackShutdownTest {

  /** The child: configured by -Dlogback.configurationFile=logback-shutdown.xml (with {@code <shutdownHook/>}). */
  public static final class Child {
    public static void main(String[] args) {
      org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("child");
      for (int i = 0; i < 10_000; i++) {
        log.info("event {}", i);
      }
    }
  }

  @Test
  void allTenThousandEventsArriveWhenTheJvmExitsNormally() throws Exception {
    try (ForwardServer server = ForwardServer.builder().countOnly(true).build()) {
      ChildJvm.Result child = ChildJvm.run(Child.class, Duration.ofSeconds(60),
          "-Dlogback.configurationFile=logback-shutdown.xml", "-Dtributary.port=" + server.port());
      assertEquals(0, child.exitCode(), child.output());
      server.awaitEventCount(10_000, Duration.ofSeconds(5));
      assertEquals(10_000, server.eventCount(), child.output());
    }
  }
}
