package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import dev.tributary.testkit.ForwardServer;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The appender's Tributary instance has its MBean under the appender's name while it runs; jmx=false turns it off. */
class LogbackJmxTest {

  private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

  @AfterEach
  void cleanUp() {
    LogbackTests.reset();
    LogbackTests.assertNoTributaryThreads();
  }

  @Test
  void theMBeanIsNamedAfterTheAppenderAndGoesWhenItStops() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = LogbackTests.configure("logback-shutdown.xml", server.port());
      ObjectName on = new ObjectName("dev.tributary:type=Tributary,name=FLUENT");
      assertTrue(MBEANS.isRegistered(on));
      LoggerFactory.getLogger("app").info("one");
      assertEquals(1L, MBEANS.getAttribute(on, "Emitted"));
      ctx.stop();
      assertFalse(MBEANS.isRegistered(on));
    }
  }

  @Test
  void jmxFalseRegistersNone() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      TributaryAppender appender = new TributaryAppender();
      appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
      appender.setName("quiet-jmx");
      appender.addServer("127.0.0.1:" + server.port());
      appender.setJmx("false");
      appender.start();
      try {
        assertTrue(appender.isStarted());
        assertFalse(MBEANS.isRegistered(new ObjectName("dev.tributary:type=Tributary,name=quiet-jmx")));
      } finally {
        appender.stop();
      }
    }
  }
}
