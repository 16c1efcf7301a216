package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The build runs this module's tests twice, against the logback it is built with and against the
 * oldest it supports; this checks that each run has the logback it claims on its class path.
 */
class LogbackVersionTest {

  private static String jarOf(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation().getPath();
  }

  @Test
  void theLogbackOnTheClassPathIsTheOneThisRunIsFor() {
    String expected = System.getProperty("tributary.test.logback.version");
    if (expected == null) {
      return; // run outside Maven, e.g. from an IDE
    }
    assertTrue(jarOf(ch.qos.logback.classic.Logger.class).endsWith("/logback-classic-" + expected + ".jar"),
        jarOf(ch.qos.logback.classic.Logger.class));
    assertTrue(jarOf(ch.qos.logback.core.Appender.class).endsWith("/logback-core-" + expected + ".jar"),
        jarOf(ch.qos.logback.core.Appender.class));
  }
}
