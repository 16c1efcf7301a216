package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TributaryBuilderTest {

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void badValuesNameTheOptionAndTheValue() {
    assertEquals("flushInterval must be > 0, was PT-1S",
        message(() -> Tributary.builder().flushInterval(Duration.ofSeconds(-1))));
    assertEquals("server port must be within 1..65535, was 0", message(() -> Tributary.builder().server("h", 0)));
    assertTrue(message(() -> Tributary.builder().bufferMaxBytes(10)).startsWith("bufferMaxBytes"));
    assertTrue(message(() -> Tributary.builder().chunkMaxBytes(1)).startsWith("chunkMaxBytes"));
    assertTrue(message(() -> Tributary.builder().maxRequestBytes(1)).startsWith("maxRequestBytes"));
    assertTrue(message(() -> Tributary.builder().maxInFlightChunks(0)).startsWith("maxInFlightChunks"));
    assertTrue(message(() -> Tributary.builder().retryMaxAttempts(-1)).startsWith("retryMaxAttempts"));
    assertTrue(message(() -> Tributary.builder().ackTimeout(Duration.ZERO)).startsWith("ackTimeout"));
    assertTrue(message(() -> Tributary.builder().maxBlock(Duration.ofMillis(-1))).startsWith("maxBlock"));
    assertTrue(message(() -> Tributary.builder().name("has space")).startsWith("name"));
    assertTrue(message(() -> Tributary.builder().servers("hostonly")).contains("host:port"));
    assertTrue(message(() -> Tributary.builder().servers("h:x")).contains("bad port"));
  }

  @Test
  void buildRequiresAServerAndConsistentOptions() {
    assertTrue(message(() -> Tributary.builder().build()).startsWith("server is required"));
    assertTrue(message(() -> Tributary.builder().server("h", 1)
        .retryInitialBackoff(Duration.ofSeconds(5)).retryMaxBackoff(Duration.ofSeconds(1)).build())
        .startsWith("retryMaxBackoff"));
    assertTrue(message(() -> Tributary.builder().server("h", 1)
        .compression(Compression.GZIP).legacyMsgpack(true).build()).contains("legacyMsgpack"));
  }

  @Test
  void tagRules() {
    assertTrue(Tags.isValid("app"));
    assertTrue(Tags.isValid("app.orders.v1"));
    assertFalse(Tags.isValid(""));
    assertFalse(Tags.isValid(null));
    assertFalse(Tags.isValid("a..b"));
    assertFalse(Tags.isValid(".a"));
    assertFalse(Tags.isValid("a."));
    assertFalse(Tags.isValid("a b"));
    assertFalse(Tags.isValid("a\tb"));
    assertFalse(Tags.isValid("a\u0001b"));
    assertFalse(Tags.isValid("x".repeat(Tags.MAX_LENGTH + 1)));
    assertEquals("invalid tag \"a b\": contains whitespace or a control character at index 1",
        message(() -> Tags.check("a b")));
  }

  @Test
  void eventTimeChecksItsRange() {
    assertEquals(5, EventTime.of(1, 5).nanos());
    assertThrows(IllegalArgumentException.class, () -> EventTime.of(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> EventTime.of(1, 1_000_000_000));
    assertEquals(EventTime.of(1, 500_000_000), EventTime.ofEpochMilli(1500));
  }

  @Test
  void optionsFromTextUseTheSetterNamesAndNameBadValues() {
    Tributary.Builder b = Tributary.builder()
        .option("servers", "a:1,[::1]:2")
        .option("flushInterval", "500ms")
        .option("bufferMaxBytes", "8MiB")
        .option("overflowPolicy", "drop-newest")
        .option("requireAck", "false")
        .option("retryTimeout", "PT1H");
    assertEquals(OverflowPolicy.DROP_NEWEST, b.overflowPolicy());
    assertEquals("unknown option \"flushIntervall\"; known options: " + Tributary.Builder.OPTIONS,
        message(() -> Tributary.builder().option("flushIntervall", "1s")));
    assertEquals("flushInterval must be a duration such as 200ms, 10s, 5m or PT10S, was \"soon\"",
        message(() -> Tributary.builder().option("flushInterval", "soon")));
    assertEquals("requireAck must be true or false, was \"yes\"",
        message(() -> Tributary.builder().option("requireAck", "yes")));
    assertTrue(message(() -> Tributary.builder().option("overflowPolicy", "maybe"))
        .contains("one of BLOCK, DROP_NEWEST, DROP_OLDEST, THROW"));
    assertEquals(64L * 1024 * 1024, ConfigValues.bytes("x", "64MiB"));
    assertEquals(65536, ConfigValues.bytes("x", "64k"));
    assertEquals(Duration.ofMinutes(5), ConfigValues.duration("x", "5m"));
  }
}
