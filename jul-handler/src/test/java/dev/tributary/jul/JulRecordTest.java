package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventTime;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;

/** A logging.properties from the classpath, the JUL API, and every default field as it arrives. */
class JulRecordTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterEach
  void cleanUp() {
    JulTests.reset();
    JulTests.assertNoTributaryThreads();
  }

  private static ValueType type(ReceivedEvent e, String key) {
    Value v = e.rawRecord().map().get(ValueFactory.newString(key));
    return v == null ? null : v.getValueType();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyDefaultFieldArrivesWithItsMsgpackType() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      JulTests.configure("logging-fields.properties", server.port());
      Logger log = Logger.getLogger("com.example.shop.OrderService");
      IllegalStateException failure = new IllegalStateException("payment declined", new IOException("gateway timeout"));
      failure.addSuppressed(new IllegalArgumentException("retry refused"));
      LogRecord record = new LogRecord(Level.WARNING, "Order {0} failed for customer {1}");
      record.setParameters(new Object[] {"4711", "815"});
      record.setThrown(failure);
      record.setLoggerName(log.getName());
      log.log(record);

      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      Map<String, Object> r = e.record();

      assertEquals("test.jul", e.tag());
      assertEquals(EventTime.of(CaptureHandler.RECORDS.get(0).getInstant()), e.time(),
          "JUL's own timestamp, with the precision it has");
      assertEquals("Order 4711 failed for customer 815", r.get("message"), "parameters formatted as JUL does");
      assertEquals(ValueType.STRING, type(e, "message"));
      assertEquals("WARN", r.get("level"), "the level name logback and log4j2 use");
      assertEquals("WARNING", r.get("original_level"), "and JUL's own");
      assertEquals("com.example.shop.OrderService", r.get("logger"));
      assertEquals(Thread.currentThread().getName(), r.get("thread"));

      assertEquals(ValueType.MAP, type(e, "error"));
      Map<String, Object> error = (Map<String, Object>) r.get("error");
      assertEquals("java.lang.IllegalStateException", error.get("class"));
      assertEquals("payment declined", error.get("message"));
      String trace = (String) error.get("stack_trace");
      assertTrue(trace.startsWith("java.lang.IllegalStateException: payment declined\n\tat dev.tributary.jul.JulRecordTest"), trace);
      assertTrue(trace.contains("\nCaused by: java.io.IOException: gateway timeout\n"), trace);
      assertTrue(trace.contains("\n\tSuppressed: java.lang.IllegalArgumentException: retry refused\n"), trace);

      assertFalse(r.containsKey("markers"), "JUL has no markers");
      assertEquals(JulRecordTest.class.getName(), r.get("caller_class"));
      assertEquals("everyDefaultFieldArrivesWithItsMsgpackType", r.get("caller_method"));
      assertFalse(r.containsKey("caller_line"), "JUL knows class and method, not file and line");

      assertEquals(InetAddress.getLocalHost().getHostName(), r.get("host"));
      assertEquals("checkout", r.get("service"));
      assertEquals("test", r.get("env"));
      assertEquals("eu-west-1", r.get("region"));
      JulTests.reset(); // stop logging while the server can still ack
    }
  }

  @Test
  void levelsMapToTheSharedNamesAndTheTagPatternAppliesThem() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      JulTests.configure("logging-tag.properties", server.port());
      Logger log = Logger.getLogger("com.example.Billing");
      log.setLevel(Level.ALL);
      log.severe("severe");
      log.info("info {0}");
      log.config("config");
      log.fine("fine");

      // one chunk per tag, so events of different tags may arrive in any order
      Map<String, ReceivedEvent> byLevel = server.awaitEvents(3, WAIT).stream()
          .collect(Collectors.toMap(e -> (String) e.get("level"), e -> e));
      ReceivedEvent severe = byLevel.get("ERROR");
      assertEquals("app.com.example.Billing.error", severe.tag());
      assertEquals("SEVERE", severe.get("original_level"));
      Map<String, Object> info = byLevel.get("INFO").record();
      assertEquals("app.com.example.Billing.info", byLevel.get("INFO").tag());
      assertFalse(info.containsKey("original_level"), "INFO is INFO everywhere");
      assertEquals("info {0}", info.get("msg"), "no parameters: the text as logged");
      assertFalse(info.containsKey("thread"), "an empty value leaves the field out");
      assertEquals("CONFIG", byLevel.get("DEBUG").get("original_level"));
      JulTests.reset();
      assertEquals(3, server.eventCount(), "FINE is below the handler's level CONFIG");
    }
  }
}
