package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Servers with weights and standby, as text and in code: what is accepted, and what is named when not. */
class ServerListTextTest {

  /** The configured servers as metrics list them, "host:port weight [standby]". */
  private static List<String> configured(Tributary.Builder b) {
    try (Tributary t = b.heartbeatType(HeartbeatType.NONE).build()) {
      return t.metrics().servers().stream()
          .map(s -> s.server() + " " + s.weight() + (s.standby() ? " standby" : ""))
          .collect(Collectors.toList());
    }
  }

  private static String error(String option, String text) {
    return assertThrows(IllegalArgumentException.class, () -> Tributary.builder().option(option, text)).getMessage();
  }

  @Test
  void weightsAndStandbyAsText() {
    assertEquals(List.of("a:24224 60", "b:24225 40", "c:24226 60 standby", "d:1 0", "[::1]:24224 5 standby"),
        configured(Tributary.builder().option("servers",
            "a:24224 weight=60, b:24225 weight=40,c:24226 standby , d:1   weight=0,[::1]:24224 standby weight=5")));
  }

  @Test
  void aPlainListHasTheDefaultWeightAndNoStandby() {
    assertEquals(List.of("a:1 60", "b:2 60"), configured(Tributary.builder().servers("a:1,b:2")));
    assertEquals(List.of("a:1 60"), configured(Tributary.builder().option("server", "a:1")));
  }

  @Test
  void standbyTakesTrueOrFalseAndKeysAnyCase() {
    assertEquals(List.of("a:1 60 standby", "b:2 7"),
        configured(Tributary.builder().servers("a:1 standby=TRUE, b:2 standby=false WEIGHT=7")));
  }

  @Test
  void inCodeTheSameWithServerOfFourArguments() {
    assertEquals(List.of("a:1 60", "b:2 30", "c:3 60 standby"),
        configured(Tributary.builder().server("a", 1).server("b", 2, 30, false).server("c", 3, 60, true)));
  }

  @Test
  void badEntriesAreNamedWithTheOption() {
    assertEquals("servers entry has a bad weight (a whole number within 0..1000000): \"b:2 weight=x\""
        + " (given as \"a:1, b:2 weight=x\")", error("servers", "a:1, b:2 weight=x"));
    assertEquals("servers entry has a bad weight (a whole number within 0..1000000): \"a:1 weight=-1\"",
        error("servers", "a:1 weight=-1"));
    assertEquals("servers entry has a bad weight (a whole number within 0..1000000): \"a:1 weight=1000001\"",
        error("servers", "a:1 weight=1000001"));
    assertEquals("server entry has a bad standby (true or false): \"a:1 standby=maybe\"",
        error("server", "a:1 standby=maybe"));
    for (String entry : List.of("a:1 weight", "a:1 primary", "a:1 weight=1 weight=2", "a:1 standby standby",
        "a:1 weight:5")) {
      assertEquals("servers entry must be host:port followed by weight=N and standby (each at most once), was \""
          + entry + "\"", error("servers", entry));
    }
    assertEquals("servers entry must be host:port, was \"weight=5\"", error("servers", "weight=5"));
  }

  @Test
  void badValuesInCodeAreNamed() {
    assertEquals("server weight must be within 0..1000000, was -1",
        assertThrows(IllegalArgumentException.class, () -> Tributary.builder().server("a", 1, -1, false)).getMessage());
    assertEquals("server port must be within 1..65535, was 0",
        assertThrows(IllegalArgumentException.class, () -> Tributary.builder().server("a", 0, 1, false)).getMessage());
  }

  @Test
  void serversThatAllWeighZeroAreRefusedAtBuild() {
    String m = assertThrows(IllegalArgumentException.class,
        () -> Tributary.builder().servers("a:1 weight=0, b:2 weight=0").build()).getMessage();
    assertTrue(m.startsWith("servers: every server has weight 0"), m);
  }

  @Test
  void aHardTimeoutNoLongerThanTheIntervalIsRefusedAtBuild() {
    String m = assertThrows(IllegalArgumentException.class, () -> Tributary.builder().server("a", 1)
        .heartbeatInterval(java.time.Duration.ofSeconds(2)).hardTimeout(java.time.Duration.ofSeconds(2)).build())
        .getMessage();
    assertEquals("hardTimeout (PT2S) must be longer than heartbeatInterval (PT2S): every server would be detached"
        + " between two heartbeats", m);
  }

  @Test
  void heartbeatOptionsAsText() {
    Tributary.builder().option("heartbeatType", "udp").option("heartbeatType", "none")
        .option("heartbeatType", "TRANSPORT").option("heartbeatInterval", "250ms").option("phiThreshold", "8")
        .option("hardTimeout", "5s").option("recoverWait", "0s");
    assertEquals("heartbeatType must be one of TRANSPORT, UDP, NONE, was \"tcp\"", error("heartbeatType", "tcp"));
    assertEquals("phiThreshold must be >= 1, was 0 (given as \"0\")", error("phiThreshold", "0"));
    assertEquals("heartbeatInterval must be > 0, was PT0S (given as \"0s\")", error("heartbeatInterval", "0s"));
    assertEquals("hardTimeout must be > 0, was PT0S (given as \"0ms\")", error("hardTimeout", "0ms"));
  }
}
