package dev.tributary.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Tributary;
import org.junit.jupiter.api.Test;

class LogAdapterConfigTest {

  private static String problems(LogAdapterConfig config) {
    return assertThrows(IllegalArgumentException.class, () -> config.check("FLUENT")).getMessage();
  }

  @Test
  void acceptsEveryBuilderAndMappingOptionByTheSameName() {
    assertTrue(LogAdapterConfig.OPTIONS.containsAll(Tributary.Builder.OPTIONS));
    assertTrue(LogAdapterConfig.OPTIONS.containsAll(LogEventMapping.OPTIONS));
    assertTrue(LogAdapterConfig.OPTIONS.contains("tag"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LogAdapterConfig().set("flushIntervall", "1s"))
        .getMessage().startsWith("unknown option \"flushIntervall\""));
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    String all = problems(new LogAdapterConfig().set("flushInterval", "soon").set("tag", "a..b")
        .set("includeMdc", "maybe").set("overflowPolicy", "THROW"));
    assertTrue(all.contains("flushInterval must be a duration"), all);
    assertTrue(all.contains("servers is required"), all);
    assertTrue(all.contains("overflowPolicy THROW is not allowed"), all);
    assertTrue(all.contains("includeMdc must be true or false"), all);
    assertTrue(all.contains("tag: invalid tag"), all);
  }

  @Test
  void valuesTooLargeForTheirTypeAreNamedLikeAnyOtherBadValue() {
    String all = problems(new LogAdapterConfig().set("servers", "a:1")
        .set("bufferMaxBytes", "99999999999999999999").set("retryTimeout", "999999999999999999d")
        .set("chunkMaxBytes", "99999999999GiB").set("maxStackTraceDepth", "99999999999"));
    assertEquals("bufferMaxBytes must be at most 9223372036854775807 bytes, was \"99999999999999999999\"; "
        + "retryTimeout must be at most 106751d (about 292 years), was \"999999999999999999d\"; "
        + "chunkMaxBytes must be at most 9223372036854775807 bytes, was \"99999999999GiB\"; "
        + "maxStackTraceDepth must be a whole number from -2147483648 to 2147483647, was \"99999999999\"", all);
  }

  @Test
  void serversComeFromTheListAndFromSingleEntries() {
    LogAdapterConfig config = new LogAdapterConfig().set("servers", "a:1,b:2").addServer("c:3").addServer("d:x");
    assertEquals("servers entry has a bad port: \"d:x\"", problems(config));
  }

  @Test
  void theAppenderNameBecomesAValidInstanceName() {
    assertEquals("my_appender_1", LogAdapterConfig.instanceName("my appender#1"));
    assertEquals(Tributary.Builder.DEFAULT_NAME, LogAdapterConfig.instanceName(null));
  }
}
