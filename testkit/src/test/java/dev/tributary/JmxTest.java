package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenMBeanAttributeInfo;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/** The MBean each instance registers: its attributes follow the counters, and it goes at close. */
class JmxTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

  private static ObjectName mbean(String name) throws Exception {
    return new ObjectName("dev.tributary:type=Tributary,name=" + name);
  }

  private static long attribute(ObjectName on, String name) throws Exception {
    return (Long) MBEANS.getAttribute(on, name);
  }

  @Test
  void attributesFollowTheEventsAndTheMBeanGoesAtClose() throws Exception {
    ObjectName on = mbean("jmx-flow");
    try (ForwardServer server = ForwardServer.start()) {
      Tributary t = Tributary.builder().name("jmx-flow").server(server.host(), server.port())
          .flushInterval(Duration.ofMillis(20)).listener(TributaryListener.NONE).build();
      try {
        assertTrue(MBEANS.isRegistered(on), "registered at build()");
        assertEquals(0, attribute(on, "Emitted"));
        assertEquals("jmx-flow", MBEANS.getAttribute(on, "Name"));
        for (int i = 0; i < 5; i++) {
          t.emit("app.jmx", Map.of("i", i));
        }
        assertEquals(5, attribute(on, "Emitted"));
        server.awaitEvents(5, WAIT);
        Await.until("Delivered = 5", WAIT, () -> {
          try {
            return attribute(on, "Delivered") == 5;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        TributaryMetrics m = t.metrics();
        for (MetricDefinition<TributaryMetrics> d : MetricDefinition.instance()) {
          assertEquals(d.valueOf(m), attribute(on, d.attribute()), d.toString());
        }
        assertEquals("UP", MBEANS.getAttribute(on, "HealthState"));
        assertEquals(1, MBEANS.getAttribute(on, "ConnectedServers"));
        TabularData servers = (TabularData) MBEANS.getAttribute(on, "Servers");
        assertEquals(1, servers.size());
        CompositeData row = (CompositeData) servers.values().iterator().next();
        assertEquals(server.host() + ":" + server.port(), row.get("server"));
        assertEquals(true, row.get("connected"));
        assertEquals(m.servers().get(0).chunksAcked(), row.get("chunksAcked"));
        assertTrue((Long) row.get("chunksAcked") >= 1, row.toString());
      } finally {
        t.close();
      }
      assertFalse(MBEANS.isRegistered(on), "removed at close()");
    }
  }

  private static CompositeData outputRow(ObjectName on, String output) throws Exception {
    TabularData outputs = (TabularData) MBEANS.getAttribute(on, "Outputs");
    CompositeData row = outputs.get(new Object[] {output});
    assertNotNull(row, output + " in " + outputs.keySet());
    return row;
  }

  private static boolean delivered(ObjectName on, String output, long n) {
    try {
      return (Long) outputRow(on, output).get("delivered") == n;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void twoForwardOutputsToTheSameServerHaveARowEachInServers() throws Exception {
    ObjectName on = mbean("jmx-same-server");
    try (ForwardServer server = ForwardServer.start();
        Tributary t = Tributary.builder().name("jmx-same-server").heartbeatType(HeartbeatType.NONE)
            .listener(TributaryListener.NONE)
            .output("first", Outputs.forward().server("127.0.0.1", server.port()))
            .output("second", Outputs.forward().server("127.0.0.1", server.port()))
            .match("**", "first", "second")
            .build()) {
      t.emit("app.orders", Map.of("n", 1));
      server.awaitEvents(2, WAIT);
      Await.until("both acked", WAIT, () -> t.metrics().delivered() == 2);
      TabularData servers = (TabularData) MBEANS.getAttribute(on, "Servers");
      assertEquals(2, servers.size());
      String address = "127.0.0.1:" + server.port();
      for (String output : List.of("first", "second")) {
        CompositeData row = servers.get(new Object[] {output, address});
        assertNotNull(row, output + " has its row");
        assertEquals(1L, row.get("chunksAcked"), output);
      }
    }
    assertFalse(MBEANS.isRegistered(on));
  }

  @Test
  void outputsHasARowPerOutputThatFollowsItsCopies() throws Exception {
    ObjectName on = mbean("jmx-outputs");
    try (ForwardServer server = ForwardServer.start()) {
      Tributary t = Tributary.builder().name("jmx-outputs")
          .output("aggregators", Outputs.forward().server(server.host(), server.port()))
          .output("discard", Outputs.nullOutput())
          .match("app.**", "aggregators", "discard")
          .match("debug.**", "discard")
          .flushInterval(Duration.ofMillis(20)).listener(TributaryListener.NONE).build();
      try {
        TabularData outputs = (TabularData) MBEANS.getAttribute(on, "Outputs");
        assertEquals(2, outputs.size());
        assertEquals(Set.of(List.of("aggregators"), List.of("discard")), outputs.keySet());
        CompositeData aggregators = outputRow(on, "aggregators");
        assertEquals("forward", aggregators.get("type"));
        assertEquals(0L, aggregators.get("emitted"));
        assertEquals("null", outputRow(on, "discard").get("type"));

        for (int i = 0; i < 3; i++) {
          t.emit("app.jmx", Map.of("i", i));
        }
        t.emit("debug.jmx", Map.of("i", 3));
        t.emit("debug.jmx", Map.of("i", 4));
        server.awaitEvents(3, WAIT);
        Await.until("aggregators delivered 3", WAIT, () -> delivered(on, "aggregators", 3));
        Await.until("discard delivered 5", WAIT, () -> delivered(on, "discard", 5));

        TributaryMetrics m = t.metrics(); // idle now: nothing moves between this and the reads below
        for (String name : List.of("aggregators", "discard")) {
          OutputMetrics o = m.output(name);
          CompositeData row = outputRow(on, name);
          assertEquals(name, row.get("output"));
          for (MetricDefinition<OutputMetrics> d : MetricDefinition.output()) {
            assertEquals(d.valueOf(o), row.get(d.attribute()), name + ": " + d);
          }
          assertEquals(o.droppedTotal(), row.get("droppedTotal"), name);
          assertEquals(o.failedTotal(), row.get("failedTotal"), name);
        }
        assertEquals(3L, outputRow(on, "aggregators").get("emitted"));
        assertEquals(5L, outputRow(on, "discard").get("emitted"), "the debug events went to discard alone");
        assertEquals(5, attribute(on, "Emitted"), "the instance counts each event once");
        assertEquals(8, attribute(on, "Delivered"), "and each copy delivered");
      } finally {
        t.close();
      }
      assertFalse(MBEANS.isRegistered(on), "removed at close()");
    }
  }

  @Test
  void everyCounterIsAnOpenTypeAttribute() throws Exception {
    try (ForwardServer server = ForwardServer.start();
         Tributary t = Tributary.builder().name("jmx-info").server(server.host(), server.port())
             .listener(TributaryListener.NONE).build()) {
      MBeanAttributeInfo[] infos = MBEANS.getMBeanInfo(mbean("jmx-info")).getAttributes();
      Set<String> names = Arrays.stream(infos).map(MBeanAttributeInfo::getName).collect(Collectors.toSet());
      for (MetricDefinition<TributaryMetrics> d : MetricDefinition.instance()) {
        assertTrue(names.contains(d.attribute()), d + " in " + names);
      }
      assertTrue(names.containsAll(List.of("DroppedTotal", "FailedTotal", "Outputs", "Servers", "HealthState", "HealthReason",
          "ConnectedServers", "LastError", "LastErrorTime", "BufferFill", "BufferMaxBytes")), names.toString());
      for (MBeanAttributeInfo info : infos) {
        assertInstanceOf(OpenMBeanAttributeInfo.class, info, info.getName());
        assertTrue(info.isReadable() && !info.isWritable(), info.getName());
        // every attribute can be read, and its value is of its declared open type
        Object value = MBEANS.getAttribute(mbean("jmx-info"), info.getName());
        assertTrue(value == null || ((OpenMBeanAttributeInfo) info).getOpenType().isValue(value),
            info.getName() + " = " + value);
      }
    }
  }

  @Test
  void aSecondInstanceWithATakenNameGetsTheNextNumberAndTheListenerIsTold() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    TributaryListener listener = new TributaryListener() {
      @Override
      public void onWarning(String message) {
        warnings.add(message);
      }
    };
    try (ForwardServer server = ForwardServer.start()) {
      Tributary.Builder b = Tributary.builder().name("twin").server(server.host(), server.port()).listener(listener);
      try (Tributary first = b.build(); Tributary second = b.build()) {
        assertTrue(MBEANS.isRegistered(mbean("twin")));
        assertTrue(MBEANS.isRegistered(mbean("twin-2")));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("name=twin-2"), warnings.get(0));
        first.close();
        assertFalse(MBEANS.isRegistered(mbean("twin")));
        try (Tributary third = b.build()) {
          assertTrue(MBEANS.isRegistered(mbean("twin")), "the first free name again");
          third.emit("app.twin", Map.of("k", 1));
          assertEquals(1, attribute(mbean("twin"), "Emitted"));
          assertEquals(0, attribute(mbean("twin-2"), "Emitted"), "each name reads its own instance");
        }
        assertTrue(MBEANS.isRegistered(mbean("twin-2")), "the second stays until it closes");
      }
      assertFalse(MBEANS.isRegistered(mbean("twin-2")));
    }
  }

  @Test
  void jmxOffRegistersNothing() throws Exception {
    try (ForwardServer server = ForwardServer.start();
         Tributary inCode = Tributary.builder().name("no-jmx").server(server.host(), server.port())
             .jmx(false).listener(TributaryListener.NONE).build();
         Tributary asText = Tributary.builder().name("no-jmx-text").server(server.host(), server.port())
             .option("jmx", "false").listener(TributaryListener.NONE).build()) {
      assertFalse(MBEANS.isRegistered(mbean("no-jmx")));
      assertFalse(MBEANS.isRegistered(mbean("no-jmx-text")));
      assertEquals(Set.of(), Await.tributaryMBeans().stream().filter(n -> n.contains("no-jmx")).collect(Collectors.toSet()));
    }
  }

  @Test
  void aBuildThatFailsRegistersNothing() {
    Set<String> before = Await.tributaryMBeans();
    Tributary.Builder b = Tributary.builder().name("jmx-bad").server("127.0.0.1", 24224)
        .retryInitialBackoff(Duration.ofSeconds(2)).retryMaxBackoff(Duration.ofSeconds(1));
    try {
      b.build().close();
      throw new AssertionError("build() should refuse retryMaxBackoff < retryInitialBackoff");
    } catch (IllegalArgumentException expected) {
      assertEquals(before, Await.tributaryMBeans());
    }
  }
}
