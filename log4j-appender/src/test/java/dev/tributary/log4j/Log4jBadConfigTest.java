package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.ForwardServer;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bad log4j2.xml: the StatusLogger names the problem, no appender runs, the app keeps logging. */
class Log4jBadConfigTest {

  @AfterEach
  void cleanUp() throws Exception {
    Log4jTests.reset();
    Log4jTests.assertNoTributaryThreads();
  }

  private static String loadAndLog(String resource, int port, List<String> errors) throws Exception {
    LoggerContext ctx = Log4jTests.configure(resource, port);
    LogManager.getLogger("app").info("still logged elsewhere");
    assertNull(ctx.getConfiguration().getAppender("FLUENT"), "no Tributary appender was created");
    assertEquals(1, CaptureAppender.EVENTS.size(), "the other appender still logs");
    return String.join("\n", errors);
  }

  @Test
  void missingServerIsNamedAndTheOtherAppendersKeepLogging() throws Exception {
    List<String> errors = Log4jTests.collectStatuses(Level.ERROR);
    String all = loadAndLog("log4j2-no-server.xml", 1, errors);
    assertTrue(all.contains("Tributary appender FLUENT not created: servers is required"), all);
    assertTrue(Log4jTests.tributaryThreads().isEmpty(), "nothing started for a bad configuration");
  }

  @Test
  void everyBadValueIsNamedInOneError() throws Exception {
    List<String> errors = Log4jTests.collectStatuses(Level.ERROR);
    String all = loadAndLog("log4j2-bad-port.xml", 1, errors);
    assertTrue(all.contains("servers entry must be host:port with a port within 1..65535, was \"127.0.0.1:99999\""), all);
    assertTrue(all.contains("flushInterval must be a duration such as 200ms, 10s, 5m or PT10S, was \"soon\""), all);
  }

  @Test
  void unknownAttributeIsNamedByLog4jAndThrowPolicyIsRefused() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      List<String> errors = Log4jTests.collectStatuses(Level.ERROR);
      String all = loadAndLog("log4j2-unknown-option.xml", server.port(), errors);
      assertTrue(all.contains("flushIntervall"), all);
      assertTrue(all.contains("overflowPolicy THROW is not allowed in a logging adapter"), all);
    }
  }
}
