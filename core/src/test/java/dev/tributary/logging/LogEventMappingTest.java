package dev.tributary.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record layout: order, types, names, collisions, and what the options change. */
class LogEventMappingTest {

  private static Map<String, Object> format(LogEventMapping mapping, FakeEvent e) {
    RecordingWriter out = new RecordingWriter();
    new LogRecordFormatter<>(mapping, FakeEvent.ACCESSOR).formatEvent(e, out);
    assertEquals(out.keys.size(), out.fields.size(), "no key written twice: " + out.keys);
    return out.fields;
  }

  private static LogEventMapping.Builder noHost() {
    return LogEventMapping.builder().includeHostName(false);
  }

  @Test
  void defaultFieldsInTheirDocumentedOrder() {
    FakeEvent e = new FakeEvent();
    e.thrown = new IllegalStateException("boom");
    e.markers.add("AUDIT");
    e.keyValues.put("order_id", 4711);
    e.mdc.put("request_id", "r-1");
    Map<String, Object> r = format(LogEventMapping.builder().hostName("web-1").serviceName("shop")
        .staticFields("env=prod, region = eu").build(), e);
    assertEquals(List.of("message", "level", "logger", "thread", "error", "markers", "host", "service", "env",
        "region", "order_id", "request_id"), List.copyOf(r.keySet()));
    assertEquals("hello", r.get("message"));
    assertEquals(4711, r.get("order_id"), "the value as given, so its type is kept");
    assertEquals(List.of("AUDIT"), r.get("markers"));
    assertEquals("eu", r.get("region"));
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) r.get("error");
    assertEquals(List.of("class", "message", "stack_trace"), List.copyOf(error.keySet()));
    assertEquals("java.lang.IllegalStateException", error.get("class"));
  }

  @Test
  void eventKeysThatCollideAreWrittenWithAPrefixNeverTwice() {
    FakeEvent e = new FakeEvent();
    e.keyValues.put("level", "kv");
    e.keyValues.put("order", 1);
    e.mdc.put("message", "mdc");
    e.mdc.put("order", "from mdc");
    e.mdc.put("mdc_order", "literally");
    e.mdc.put("env", "mdc env");
    Map<String, Object> r = format(noHost().staticField("env", "prod").build(), e);
    assertEquals("INFO", r.get("level"));
    assertEquals("kv", r.get("kv_level"));
    assertEquals("hello", r.get("message"));
    assertEquals("mdc", r.get("mdc_message"));
    assertEquals(1, r.get("order"), "key/values come before MDC");
    assertEquals("from mdc", r.get("mdc_order"));
    assertEquals("prod", r.get("env"));
    assertEquals("mdc env", r.get("mdc_env"));
    assertEquals("literally", r.get("mdc_mdc_order"), "a key that collides with a prefixed one is prefixed again");
  }

  @Test
  void fieldsCanBeRenamedOmittedAndNested() {
    FakeEvent e = new FakeEvent();
    e.keyValues.put("a", 1);
    e.mdc.put("b", "2");
    Map<String, Object> r = format(noHost().option("messageField", "msg").option("threadField", "-")
        .option("loggerField", "").option("mdcField", "mdc").option("keyValuesField", "kv").build(), e);
    assertEquals(List.of("msg", "level", "kv", "mdc"), List.copyOf(r.keySet()));
    assertEquals(Map.of("a", 1), r.get("kv"));
    assertEquals(Map.of("b", "2"), r.get("mdc"));
  }

  @Test
  void callerDataAndOriginalLevelWhenPresent() {
    FakeEvent e = new FakeEvent();
    e.originalLevel = "SEVERE";
    e.caller = new StackTraceElement("com.example.App", "run", "App.java", 42);
    Map<String, Object> r = format(noHost().option("includeCallerData", "true").build(), e);
    assertEquals("SEVERE", r.get("original_level"));
    assertEquals("com.example.App", r.get("caller_class"));
    assertEquals("run", r.get("caller_method"));
    assertEquals("App.java", r.get("caller_file"));
    assertEquals(42L, r.get("caller_line"));
    assertNull(format(noHost().build(), e).get("caller_class"), "off by default");
  }

  @Test
  void kubernetesIdentityFromTheDownwardApiVariablesWhenPresent() {
    Map<String, String> env = Map.of("POD_NAME", "shop-7d9", "POD_NAMESPACE", "prod", "NODE_NAME", "node-3");
    LogEventMapping m = noHost().environment(env::get).build();
    assertEquals(Map.of("pod_name", "shop-7d9", "namespace_name", "prod", "host", "node-3"),
        m.constantFields().get("kubernetes"));
    assertFalse(noHost().environment(k -> null).build().constantFields().containsKey("kubernetes"));
  }

  @Test
  void theHostNameIsResolvedOnceAndWrittenByDefault() {
    LogEventMapping m = LogEventMapping.builder().build();
    assertTrue(m.constantFields().get("host") instanceof String);
    assertFalse(((String) m.constantFields().get("host")).isBlank());
  }

  @Test
  void badOptionsNameTheOptionAndValue() {
    assertEquals("messageField and levelField both name the field \"level\"; every field needs its own name",
        assertThrows(IllegalArgumentException.class,
            () -> LogEventMapping.builder().fieldName(LogField.LEVEL, "level").option("messageField", "level").build())
            .getMessage().replace("levelField and messageField", "messageField and levelField"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LogEventMapping.builder().staticFields("env=prod,oops")).getMessage().contains("\"oops\""));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LogEventMapping.builder().staticField("host", "x").build()).getMessage().contains("\"host\""));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LogEventMapping.builder().option("maxStackTraceLength", "10")).getMessage().startsWith("maxStackTraceLength"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LogEventMapping.builder().option("includeMdc", "yes")).getMessage().startsWith("includeMdc must be true or false"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LogEventMapping.builder().option("colour", "red")).getMessage().startsWith("unknown option \"colour\""));
  }
}
