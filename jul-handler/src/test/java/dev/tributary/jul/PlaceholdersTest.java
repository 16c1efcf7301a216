package dev.tributary.jul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PlaceholdersTest {

  @Test
  void systemPropertiesEnvironmentAndDefaultsAreExpanded() {
    System.setProperty("placeholders.test.host", "agg1");
    assertEquals("agg1:24224", Placeholders.resolve("servers", "${placeholders.test.host}:24224"));
    assertEquals("agg1:24224", Placeholders.resolve("servers", "${sys:placeholders.test.host}:24224"));
    assertEquals("fallback:1", Placeholders.resolve("servers", "${sys:placeholders.unset:-fallback}:1"));
    assertEquals(System.getenv("PATH"), Placeholders.resolve("x", "${env:PATH}"));
    assertEquals("plain", Placeholders.resolve("x", "plain"));
  }

  @Test
  void anUnsetPlaceholderWithoutDefaultNamesTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Placeholders.resolve("servers", "${placeholders.unset}:24224"));
    assertEquals("servers refers to ${placeholders.unset}, which is not set", e.getMessage());
  }
}
