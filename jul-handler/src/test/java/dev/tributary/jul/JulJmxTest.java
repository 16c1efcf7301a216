package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.ForwardServer;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The handler's Tributary instance has its MBean under the handler's name while it is open; jmx=false turns it off. */
class JulJmxTest {

  private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

  @Test
  void theMBeanIsNamedAfterTheHandlerAndGoesAtClose() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      TributaryHandler handler = new TributaryHandler(Map.of("servers", "127.0.0.1:" + server.port()));
      ObjectName on = new ObjectName("dev.tributary:type=Tributary,name=" + TributaryHandler.DEFAULT_NAME);
      try {
        assertTrue(MBEANS.isRegistered(on));
        handler.publish(new LogRecord(Level.INFO, "one"));
        assertEquals(1L, MBEANS.getAttribute(on, "Emitted"));
      } finally {
        handler.close();
      }
      assertFalse(MBEANS.isRegistered(on));
    }
  }

  @Test
  void jmxFalseRegistersNone() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      TributaryHandler handler = new TributaryHandler(Map.of("servers", "127.0.0.1:" + server.port(),
          "name", "quiet-jmx", "jmx", "false"));
      try {
        assertFalse(MBEANS.isRegistered(new ObjectName("dev.tributary:type=Tributary,name=quiet-jmx")));
      } finally {
        handler.close();
      }
    }
  }
}
