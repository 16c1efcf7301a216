package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.ForwardServer;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The appender's Tributary instance has its MBean under the appender's name while it runs; jmx="false" turns it off. */
class Log4jJmxTest {

  private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

  @AfterEach
  void cleanUp() throws Exception {
    Log4jTests.reset();
    Log4jTests.assertNoTributaryThreads();
  }

  @Test
  void theMBeanIsNamedAfterTheAppenderAndGoesWhenItStops() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      Log4jTests.configure("log4j2-shutdown.xml", server.port());
      ObjectName on = new ObjectName("dev.tributary:type=Tributary,name=FLUENT");
      assertTrue(MBEANS.isRegistered(on));
      LogManager.getLogger("app").info("one");
      assertEquals(1L, MBEANS.getAttribute(on, "Emitted"));
      Log4jTests.reset();
      assertFalse(MBEANS.isRegistered(on));
    }
  }

  @Test
  void jmxFalseRegistersNone() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      TributaryAppender appender = TributaryAppender.newBuilder().setName("quiet-jmx")
          .addServer("127.0.0.1", server.port()).setOption("jmx", "false").build();
      appender.start();
      try {
        assertFalse(MBEANS.isRegistered(new ObjectName("dev.tributary:type=Tributary,name=quiet-jmx")));
      } finally {
        appender.stop();
      }
    }
  }
}
