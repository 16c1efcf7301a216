package dev.tributary.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.MapMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log call through logback, log4j2 and java.util.logging, each configured from its own file,
 * arrives as the same record, msgpack types included; only what a framework cannot express
 * differs (JUL has no MDC, and keeps its own level name as original_level).
 */
class SameRecordAcrossFrameworksTest {

  private static final String LOGGER = "com.example.shop.OrderService";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private ForwardServer server;

  @BeforeEach
  void configureAllThree() throws Exception {
    server = ForwardServer.start();
    System.setProperty("tributary.port", Integer.toString(server.port()));
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    logback.reset();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(logback);
    joran.doConfigure(getClass().getResource("/same-logback.xml"));
    log4j2Config("/same-log4j2.xml");
    try (InputStream in = getClass().getResourceAsStream("/same-logging.properties")) {
      java.util.logging.LogManager.getLogManager().readConfiguration(in);
    }
  }

  @AfterEach
  void stopAllThree() throws Exception {
    MDC.clear();
    ThreadContext.clearAll();
    ((LoggerContext) LoggerFactory.getILoggerFactory()).reset();
    log4j2Config("/log4j2-test.xml");
    java.util.logging.LogManager.getLogManager().reset();
    server.close();
  }

  /**
   * Switches log4j2 to {@code resource}. The context is started first: a context that is not yet
   * started (the first test in the JVM) loads its default configuration when it starts, which
   * would replace one set before.
   */
  private void log4j2Config(String resource) throws Exception {
    org.apache.logging.log4j.core.LoggerContext ctx =
        (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
    ctx.setConfigLocation(getClass().getResource(resource).toURI());
  }

  /** The records by framework, as typed msgpack values, once all three have delivered. */
  private Map<String, Map<Value, Value>> recordsByFramework() {
    try {
      server.awaitEvents(3, WAIT);
    } catch (AssertionError e) {
      // name the framework whose event is missing, and what each instance counted
      org.apache.logging.log4j.core.LoggerContext ctx =
          (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
      Object log4j = ctx.getConfiguration().getAppenders().get("FLUENT");
      throw new AssertionError(e.getMessage() + "; arrived: "
          + server.events().stream().map(ReceivedEvent::tag).collect(Collectors.toList())
          + "; requests: " + server.requests() + "; log4j2 appender: " + log4j
          + (log4j instanceof dev.tributary.log4j.TributaryAppender
              ? " " + ((dev.tributary.log4j.TributaryAppender) log4j).metrics() : "")
          + "; log4j2 config: " + ctx.getConfiguration().getName(), e);
    }
    return server.events().stream().collect(Collectors.toMap(
        e -> e.tag().substring("same.".length()),
        (ReceivedEvent e) -> new LinkedHashMap<>(e.rawRecord().map())));
  }

  private static Value key(String k) {
    return ValueFactory.newString(k);
  }

  @Test
  void aParameterizedWarningWithAnExceptionAndContext() {
    IllegalStateException failure = new IllegalStateException("payment declined", new IOException("gateway timeout"));
    MDC.put("request_id", "r-42");
    ThreadContext.put("request_id", "r-42");

    LoggerFactory.getLogger(LOGGER).warn("Order {} failed for customer {}", "4711", "c-815", failure);
    org.apache.logging.log4j.LogManager.getLogger(LOGGER).warn("Order {} failed for customer {}", "4711", "c-815", failure);
    java.util.logging.LogRecord record = new java.util.logging.LogRecord(java.util.logging.Level.WARNING,
        "Order {0} failed for customer {1}");
    record.setParameters(new Object[] {"4711", "c-815"});
    record.setThrown(failure);
    record.setLoggerName(LOGGER);
    java.util.logging.Logger.getLogger(LOGGER).log(record);

    Map<String, Map<Value, Value>> records = recordsByFramework();
    Map<Value, Value> logback = records.get("logback");
    assertEquals(ValueFactory.newString("Order 4711 failed for customer c-815"), logback.get(key("message")));
    assertEquals(logback, records.get("log4j"), "logback and log4j2: the same record, field by field and type by type");

    Map<Value, Value> jul = records.get("jul");
    assertEquals(ValueFactory.newString("WARNING"), jul.remove(key("original_level")), "JUL's own level name, kept");
    logback.remove(key("request_id")); // JUL has no MDC
    assertEquals(logback, jul, "JUL: the same record but for what JUL cannot express");
  }

  @Test
  void typedKeyValuesFromSlf4jAndFromAMapMessage() {
    LoggerFactory.getLogger(LOGGER).atInfo()
        .addKeyValue("order_id", 4711)
        .addKeyValue("amount", 99.95)
        .addKeyValue("paid", true)
        .log("Order paid");
    org.apache.logging.log4j.LogManager.getLogger(LOGGER).info(new MapMessage<>()
        .with("message", "Order paid")
        .with("order_id", 4711)
        .with("amount", 99.95)
        .with("paid", true));
    java.util.logging.Logger.getLogger(LOGGER).info("Order paid");

    Map<String, Map<Value, Value>> records = recordsByFramework();
    Map<Value, Value> logback = records.get("logback");
    assertEquals(ValueFactory.newInteger(4711), logback.get(key("order_id")), "a number stays a number");
    assertEquals(logback, records.get("log4j"));
    Map<Value, Value> jul = records.get("jul");
    logback.keySet().removeAll(java.util.List.of(key("order_id"), key("amount"), key("paid"))); // JUL has no key/values
    assertEquals(logback, jul);
  }
}
