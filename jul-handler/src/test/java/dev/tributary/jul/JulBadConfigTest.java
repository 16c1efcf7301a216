package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.ForwardServer;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bad logging.properties: the ErrorManager names the problem, the handler stays closed, the app keeps logging. */
class JulBadConfigTest {

  @AfterEach
  void cleanUp() {
    JulTests.reset();
    JulTests.assertNoTributaryThreads();
  }

  private static void assertOtherHandlersKeepLogging() {
    Logger.getLogger("app").info("still logged elsewhere");
    assertNull(JulTests.handler().forwarder(), "the Tributary handler did not start");
    assertEquals(1, CaptureHandler.RECORDS.size());
  }

  @Test
  void missingServerIsNamedAndTheOtherHandlersKeepLogging() throws Exception {
    String stderr = JulTests.configure("logging-no-server.properties", 1);
    assertTrue(stderr.contains("Tributary handler not started: servers is required"), stderr);
    assertOtherHandlersKeepLogging();
    assertTrue(JulTests.tributaryThreads().isEmpty(), "nothing started for a bad configuration");
  }

  @Test
  void everyBadValueIsNamedInOneReport() throws Exception {
    String stderr = JulTests.configure("logging-bad-port.properties", 1);
    assertTrue(stderr.contains("servers entry must be host:port with a port within 1..65535, was \"127.0.0.1:99999\""), stderr);
    assertTrue(stderr.contains("flushInterval must be a duration such as 200ms, 10s, 5m or PT10S, was \"soon\""), stderr);
    assertOtherHandlersKeepLogging();
  }

  @Test
  void unknownOptionIsNamedAndThrowPolicyIsRefused() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      String stderr = JulTests.configure("logging-unknown-option.properties", server.port());
      assertTrue(stderr.contains("unknown option [flushIntervall] ignored"), stderr);
      assertTrue(stderr.contains("overflowPolicy THROW is not allowed in a logging adapter"), stderr);
      assertOtherHandlersKeepLogging();
    }
  }

  @Test
  void programmaticOptionsAreCheckedTooAndAnUnknownNameIsAnError() {
    TributaryHandler[] made = new TributaryHandler[1];
    String stderr = JulTests.stderrOf(() ->
        made[0] = new TributaryHandler(Map.of("servers", "127.0.0.1:1", "bogus", "x", "level", "LOUD")));
    assertTrue(stderr.contains("Tributary handler not started: "), stderr);
    assertTrue(stderr.contains("unknown option \"bogus\""), stderr);
    assertTrue(stderr.contains("level must be a JUL level name or number, was \"LOUD\""), stderr);
    assertNull(made[0].forwarder());
    made[0].close();
  }
}
