package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventTime;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.time.Instant;
import org.apache.logging.log4j.message.MapMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;

/** A log4j2.xml from the classpath, the log4j2 API, and every default field as it arrives. */
class Log4jRecordTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterEach
  void cleanUp() throws Exception {
    ThreadContext.clearAll();
    Log4jTests.reset();
    Log4jTests.assertNoTributaryThreads();
  }

  private static ValueType type(ReceivedEvent e, String key) {
    Value v = e.rawRecord().map().get(ValueFactory.newString(key));
    return v == null ? null : v.getValueType();
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyDefaultFieldArrivesWithItsMsgpackType() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      Log4jTests.configure("log4j2-fields.xml", server.port());
      Logger log = LogManager.getLogger("com.example.shop.OrderService");
      IllegalStateException failure = new IllegalStateException("payment declined", new IOException("gateway timeout"));
      failure.addSuppressed(new IllegalArgumentException("retry refused"));
      ThreadContext.put("request_id", "r-42");
      ThreadContext.put("level", "from-context");
      MapMessage message = new MapMessage()
          .with("message", "Order 4711 failed for customer 815")
          .with("order_id", 4711)
          .with("amount", 99.95)
          .with("paid", false);
      log.warn(MarkerManager.getMarker("AUDIT"), message, failure);

      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      Instant logged = CaptureAppender.EVENTS.get(0).getInstant();
      Map<String, Object> r = e.record();

      assertEquals("test.log4j", e.tag());
      assertEquals(EventTime.of(logged.getEpochSecond(), logged.getNanoOfSecond()), e.time(),
          "log4j2's own timestamp, to the nanosecond");
      assertEquals("Order 4711 failed for customer 815", r.get("message"), "the MapMessage's message entry");
      assertEquals(ValueType.STRING, type(e, "message"));
      assertEquals("WARN", r.get("level"));
      assertFalse(r.containsKey("original_level"));
      assertEquals("com.example.shop.OrderService", r.get("logger"));
      assertEquals(Thread.currentThread().getName(), r.get("thread"));

      assertEquals(ValueType.MAP, type(e, "error"));
      Map<String, Object> error = (Map<String, Object>) r.get("error");
      assertEquals("java.lang.IllegalStateException", error.get("class"));
      assertEquals("payment declined", error.get("message"));
      String trace = (String) error.get("stack_trace");
      assertTrue(trace.startsWith("java.lang.IllegalStateException: payment declined\n\tat dev.tributary.log4j.Log4jRecordTest"), trace);
      assertTrue(trace.contains("\nCaused by: java.io.IOException: gateway timeout\n"), trace);
      assertTrue(trace.contains("\n\tSuppressed: java.lang.IllegalArgumentException: retry refused\n"), trace);

      assertEquals(ValueType.ARRAY, type(e, "markers"));
      assertEquals(List.of("AUDIT"), r.get("markers"));

      assertEquals(ValueType.INTEGER, type(e, "order_id"), "a number stays a number");
      assertEquals(4711L, r.get("order_id"));
      assertEquals(ValueType.FLOAT, type(e, "amount"));
      assertEquals(99.95, r.get("amount"));
      assertEquals(ValueType.BOOLEAN, type(e, "paid"));
      assertFalse(r.containsKey("kv_message"), "the message entry is the message, not repeated");

      assertEquals("r-42", r.get("request_id"));
      assertEquals("from-context", r.get("mdc_level"), "a ThreadContext key never overwrites a core field");

      assertEquals(Log4jRecordTest.class.getName(), r.get("caller_class"));
      assertEquals("everyDefaultFieldArrivesWithItsMsgpackType", r.get("caller_method"));
      assertEquals("Log4jRecordTest.java", r.get("caller_file"));
      assertEquals(ValueType.INTEGER, type(e, "caller_line"));

      assertEquals(InetAddress.getLocalHost().getHostName(), r.get("host"));
      assertEquals("checkout", r.get("service"));
      assertEquals("test", r.get("env"));
      assertEquals("eu-west-1", r.get("region"));
      Log4jTests.reset(); // stop logging while the server can still ack
    }
  }

  @Test
  void parameterizedMessagesCustomLevelsAndTheTagPattern() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      Log4jTests.configure("log4j2-tag.xml", server.port());
      ThreadContext.put("user", "ada");
      Logger log = LogManager.getLogger("com.example.Billing");
      log.info("Invoice {} sent to {}", 17, "ada@example.com");
      log.log(Level.getLevel("NOTICE"), "a custom level");
      log.fatal("the end");

      // one chunk per tag, so events of different tags may arrive in any order
      Map<String, ReceivedEvent> byTag = server.awaitEvents(3, WAIT).stream()
          .collect(Collectors.toMap(ReceivedEvent::tag, e -> e));
      Map<String, Object> info = byTag.get("app.com.example.Billing.info").record();
      assertEquals("Invoice 17 sent to ada@example.com", info.get("msg"));
      assertFalse(info.containsKey("thread"), "an empty attribute leaves the field out");
      assertFalse(info.containsKey("host"));
      assertEquals(Map.of("user", "ada"), info.get("context"));

      ReceivedEvent notice = byTag.get("app.com.example.Billing.warn");
      assertEquals("WARN", notice.get("level"), "a custom level as the standard level it falls in");
      assertEquals("NOTICE", notice.get("original_level"));
      assertEquals("FATAL", byTag.get("app.com.example.Billing.fatal").get("level"));
      Log4jTests.reset(); // stop logging while the server can still ack
    }
  }

  @Test
  void behindAnAsyncAppenderTheRecordKeepsTheCallersThreadAndContext() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      Log4jTests.configure("log4j2-async.xml", server.port());
      ThreadContext.put("request_id", "r-7");
      LogManager.getLogger("app").info("Order {} queued", 4711);
      Map<String, Object> r = server.awaitEvents(1, WAIT).get(0).record();
      assertEquals("Order 4711 queued", r.get("message"));
      assertEquals(Thread.currentThread().getName(), r.get("thread"), "the caller's thread, not the async one");
      assertEquals("r-7", r.get("request_id"));
      Log4jTests.reset(); // stop logging while the server can still ack
    }
  }
}
