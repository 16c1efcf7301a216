package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The build runs this module's tests twice, against the log4j2 it is built with and against the
 * oldest it supports; this checks that each run has the log4j2 it claims on its class path.
 */
class Log4jVersionTest {

  private static String jarOf(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation().getPath();
  }

  @Test
  void theLog4jOnTheClassPathIsTheOneThisRunIsFor() {
    String expected = System.getProperty("tributary.test.log4j.version");
    if (expected == null) {
      return; // run outside Maven, e.g. from an IDE
    }
    assertTrue(jarOf(org.apache.logging.log4j.core.LoggerContext.class).endsWith("/log4j-core-" + expected + ".jar"),
        jarOf(org.apache.logging.log4j.core.LoggerContext.class));
    assertTrue(jarOf(org.apache.logging.log4j.LogManager.class).endsWith("/log4j-api-" + expected + ".jar"),
        jarOf(org.apache.logging.log4j.LogManager.class));
  }
}
