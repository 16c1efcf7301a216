package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.ChildJvm;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An unreachable aggregator is seen without any setup: the appender reports to log4j2's
 * StatusLogger at ERROR, which log4j2 prints to standard error by default; {@code status="off"}
 * silences it. Run in a child JVM, so that log4j2's status output is as an application's.
 */
class Log4jReportsTest {

  /** The child: logs three events and returns from main; log4j2's shutdown hook stops the appender. */
  public static final class Child {
    public static void main(String[] args) {
      org.apache.logging.log4j.Logger log = org.apache.logging.log4j.LogManager.getLogger("child");
      for (int i = 0; i < 3; i++) {
        log.info("event {}", i);
      }
    }
  }

  private static String run(String config, ForwardServer server) throws Exception {
    ChildJvm.Result child = ChildJvm.run(Child.class, Duration.ofSeconds(60),
        "-Dlog4j2.configurationFile=" + config, "-Dtributary.port=" + server.port());
    assertEquals(0, child.exitCode(), child.output());
    return child.output();
  }

  @Test
  void aDeadAggregatorAndTheLossAtExitAreOnStandardErrorByDefault() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      String output = run("log4j2-unreachable.xml", server);
      // "main ERROR Tributary appender ..." since log4j 2.24, "ERROR StatusConsoleListener Tributary appender ..." before
      assertTrue(output.lines().anyMatch(line -> line.contains("ERROR ")
          && line.contains("Tributary appender FLUENT: tributary[FLUENT]: connection to 127.0.0.1:" + server.port() + " failed: ")),
          output);
      assertTrue(output.contains("tributary[FLUENT] stopped: 3 of 3 events may have been lost"), output);
    }
  }

  @Test
  void statusOffSilencesThem() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      String output = run("log4j2-quiet.xml", server);
      assertFalse(output.contains("tributary["), output);
    }
  }
}
