package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tributary.EventTime;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

/** A logback.xml from the classpath, the SLF4J API, and every default field as it arrives. */
class LogbackRecordTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterEach
  void cleanUp() {
    MDC.clear();
    LogbackTests.reset();
    LogbackTests.assertNoTributaryThreads();
  }

  private static ValueType type(ReceivedEvent e, String key) {
    Value v = e.rawRecord().map().get(ValueFactory.newString(key));
    return v == null ? null : v.getValueType();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyDefaultFieldArrivesWithItsMsgpackType() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = LogbackTests.configure("logback-fields.xml", server.port());
      Logger log = LoggerFactory.getLogger("com.example.shop.OrderService");
      IllegalStateException failure = new IllegalStateException("payment declined", new IOException("gateway timeout"));
      failure.addSuppressed(new IllegalArgumentException("retry refused"));
      MDC.put("request_id", "r-42");
      MDC.put("level", "from-mdc");
      log.atWarn()
          .addMarker(MarkerFactory.getMarker("AUDIT"))
          .addKeyValue("order_id", 4711)
          .addKeyValue("amount", 99.95)
          .addKeyValue("paid", false)
          .setCause(failure)
          .log("Order {} failed for customer {}", "4711", 815);

      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      ListAppender<ILoggingEvent> list = (ListAppender<ILoggingEvent>) ctx.getLogger("ROOT").getAppender("LIST");
      Instant logged = list.list.get(0).getInstant();
      Map<String, Object> r = e.record();

      assertEquals("test.logback", e.tag());
      assertEquals(EventTime.of(logged), e.time(), "logback's own timestamp, to the nanosecond");
      assertEquals("Order 4711 failed for customer 815", r.get("message"));
      assertEquals(ValueType.STRING, type(e, "message"));
      assertEquals("WARN", r.get("level"));
      assertFalse(r.containsKey("original_level"), "logback's level names are the shared ones");
      assertEquals("com.example.shop.OrderService", r.get("logger"));
      assertEquals(Thread.currentThread().getName(), r.get("thread"));

      assertEquals(ValueType.MAP, type(e, "error"));
      Map<String, Object> error = (Map<String, Object>) r.get("error");
      assertEquals("java.lang.IllegalStateException", error.get("class"));
      assertEquals("payment declined", error.get("message"));
      String trace = (String) error.get("stack_trace");
      assertTrue(trace.startsWith("java.lang.IllegalStateException: payment declined\n\tat dev.tributary.logback.LogbackRecordTest"), trace);
      assertTrue(trace.contains("\nCaused by: java.io.IOException: gateway timeout\n"), trace);
      assertTrue(trace.contains("\n\tSuppressed: java.lang.IllegalArgumentException: retry refused\n"), trace);

      assertEquals(ValueType.ARRAY, type(e, "markers"));
      assertEquals(List.of("AUDIT"), r.get("markers"));

      assertEquals(ValueType.INTEGER, type(e, "order_id"), "a number stays a number");
      assertEquals(4711L, r.get("order_id"));
      assertEquals(ValueType.FLOAT, type(e, "amount"));
      assertEquals(99.95, r.get("amount"));
      assertEquals(ValueType.BOOLEAN, type(e, "paid"));
      assertEquals(false, r.get("paid"));

      assertEquals("r-42", r.get("request_id"));
      assertEquals("from-mdc", r.get("mdc_level"), "an MDC key never overwrites a core field");

      assertEquals(LogbackRecordTest.class.getName(), r.get("caller_class"));
      assertEquals("everyDefaultFieldArrivesWithItsMsgpackType", r.get("caller_method"));
      assertEquals("LogbackRecordTest.java", r.get("caller_file"));
      assertEquals(ValueType.INTEGER, type(e, "caller_line"));

      assertEquals(InetAddress.getLocalHost().getHostName(), r.get("host"));
      assertEquals("checkout", r.get("service"));
      assertEquals("test", r.get("env"));
      assertEquals("eu-west-1", r.get("region"));
      LogbackTests.reset(); // stop logging while the server can still ack
    }
  }

  /**
   * A call site logged again and again takes the parsed-pattern path after its first event: its
   * messages arrive as logback formats them, whether pattern and arguments are ASCII or not.
   */
  @Test
  @SuppressWarnings("unchecked")
  void repeatedCallsArriveWithTheMessageLogbackFormats() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LoggerContext ctx = LogbackTests.configure("logback-fields.xml", server.port());
      Logger log = LoggerFactory.getLogger("com.example.shop.OrderService");
      int rounds = 3;
      for (int i = 0; i < rounds; i++) {
        log.info("Order {} accepted for customer {}", 4711 + i, "0815");
        log.info("Gr\u00fc\u00dfe an {}", "Ada");
        log.info("user {} from {}", i == 1 ? "Zo\u00eb" : "Zoe", (long) -i);
        log.info("escaped \\{} then {} and \\\\{}", "a", "b");
        log.info("arrays {} {}", new int[] {1, i}, new Object[] {"x", null});
        log.info("too few {} {}", "only");
      }
      int n = rounds * 6;
      List<ReceivedEvent> events = server.awaitEvents(n, WAIT);
      ListAppender<ILoggingEvent> list = (ListAppender<ILoggingEvent>) ctx.getLogger("ROOT").getAppender("LIST");
      assertEquals(n, list.list.size());
      for (int i = 0; i < n; i++) {
        assertEquals(list.list.get(i).getFormattedMessage(), events.get(i).record().get("message"), "event " + i);
      }
      assertEquals("user Zo\u00eb from -1", events.get(8).record().get("message"));
      LogbackTests.reset(); // stop logging while the server can still ack
    }
  }

  @Test
  void tagPatternAndRenamedOrOmittedFieldsFollowTheConfiguration() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LogbackTests.configure("logback-tag.xml", server.port());
      MDC.put("user", "ada");
      LoggerFactory.getLogger("com.example.Billing").info("plain message");
      LoggerFactory.getLogger("").error("root says {}", (Object) null);

      List<ReceivedEvent> events = server.awaitEvents(2, WAIT);
      ReceivedEvent billing = events.stream().filter(x -> x.tag().startsWith("app.com")).findFirst().orElseThrow();
      assertEquals("app.com.example.Billing.info", billing.tag());
      Map<String, Object> r = billing.record();
      assertEquals("plain message", r.get("msg"));
      assertFalse(r.containsKey("message"));
      assertFalse(r.containsKey("thread"), "an empty field name leaves the field out");
      assertFalse(r.containsKey("host"), "includeHostName=false through <option>");
      assertEquals(Map.of("user", "ada"), r.get("context"), "MDC nested under mdcField");
      ReceivedEvent root = events.stream().filter(x -> !x.tag().startsWith("app.com")).findFirst().orElseThrow();
      assertEquals("app.root.error", root.tag(), "an empty logger name renders as root");
      assertEquals("root says null", root.record().get("msg"));
      assertNull(root.record().get("error"));
      LogbackTests.reset(); // stop logging while the server can still ack
    }
  }

  @Test
  void behindAnAsyncAppenderTheRecordKeepsTheCallersThreadAndContext() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      LogbackTests.configure("logback-async.xml", server.port());
      MDC.put("request_id", "r-7");
      LoggerFactory.getLogger("app").atInfo().addKeyValue("order_id", 4711).log("Order {} queued", 4711);
      Map<String, Object> r = server.awaitEvents(1, WAIT).get(0).record();
      assertEquals("Order 4711 queued", r.get("message"));
      assertEquals(Thread.currentThread().getName(), r.get("thread"), "the caller's thread, not the async one");
      assertEquals("r-7", r.get("request_id"));
      assertEquals(4711L, r.get("order_id"));
      LogbackTests.reset(); // stop logging while the server can still ack
    }
  }
}
