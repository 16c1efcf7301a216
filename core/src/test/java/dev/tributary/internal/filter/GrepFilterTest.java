package dev.tributary.internal.filter;

import static dev.tributary.internal.filter.FilterEvents.event;
import static dev.tributary.internal.filter.FilterEvents.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Filter;
import dev.tributary.Filters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrepFilterTest {

  @Test
  void severalRegexpsMustAllMatch() {
    Filter f = Filters.grep().regexp("level", "^(INFO|WARN)$").regexp("message", "order").build();
    assertTrue(f.filter(event("t", "level", "INFO", "message", "order 1")));
    assertFalse(f.filter(event("t", "level", "INFO", "message", "payment")));
    assertFalse(f.filter(event("t", "level", "DEBUG", "message", "order 1")));
  }

  @Test
  void anyOneExcludeDrops() {
    Filter f = Filters.grep().exclude("level", "DEBUG").exclude("logger", "^noisy").build();
    assertTrue(f.filter(event("t", "level", "INFO", "logger", "app")));
    assertFalse(f.filter(event("t", "level", "DEBUG", "logger", "app")));
    assertFalse(f.filter(event("t", "level", "INFO", "logger", "noisy.http")));
  }

  @Test
  void aMissingFieldMatchesNoPattern() {
    assertFalse(Filters.grep().regexp("level", ".*").build().filter(event("t")));
    assertTrue(Filters.grep().exclude("level", ".*").build().filter(event("t")));
  }

  @Test
  void nestedKeysAndNonStringValues() {
    Filter f = Filters.grep().regexp("$.user.id", "^7$").exclude("$['http']['status']", "^5").build();
    assertTrue(f.filter(event("t", "user", map("id", 7), "http", map("status", 200))));
    assertFalse(f.filter(event("t", "user", map("id", 8), "http", map("status", 200))));
    assertFalse(f.filter(event("t", "user", map("id", 7), "http", map("status", 503))));
  }

  @Test
  void andAndOrBlocks() {
    Filter or = Filters.grep().or(b -> b.regexp("level", "ERROR").regexp("message", "timeout")).build();
    assertTrue(or.filter(event("t", "level", "ERROR", "message", "x")));
    assertTrue(or.filter(event("t", "level", "INFO", "message", "timeout")));
    assertFalse(or.filter(event("t", "level", "INFO", "message", "x")));

    Filter andExclude = Filters.grep().and(b -> b.exclude("level", "DEBUG").exclude("logger", "^http")).build();
    assertFalse(andExclude.filter(event("t", "level", "DEBUG", "logger", "http.client")));
    assertTrue(andExclude.filter(event("t", "level", "DEBUG", "logger", "app")), "excluded only when all match");

    Filter orExclude = Filters.grep().or(b -> b.exclude("level", "DEBUG").exclude("logger", "^http")).build();
    assertFalse(orExclude.filter(event("t", "level", "INFO", "logger", "http.client")));
    assertTrue(orExclude.filter(event("t", "level", "INFO", "logger", "app")));

    assertThrows(IllegalArgumentException.class,
        () -> Filters.grep().and(b -> b.regexp("a", "x").exclude("b", "y")));
  }

  @Test
  void fluentdSlashesFlagsSectionsAndLegacyAndFluentBitParameters() {
    Filter f = Filters.grep()
        .section("regexp", Map.of("key", "level", "pattern", "/^info$/i"))
        .param("exclude1", "message health")
        .build();
    assertTrue(f.filter(event("t", "level", "INFO", "message", "ok")));
    assertFalse(f.filter(event("t", "level", "INFO", "message", "healthcheck")));

    Filter bit = Filters.grep().param("Regex", "level ERROR").param("Regex", "service api").param("Logical_Op", "or").build();
    assertTrue(bit.filter(event("t", "level", "INFO", "service", "api")));
    assertFalse(bit.filter(event("t", "level", "INFO", "service", "web")));
  }

  @Test
  void badPatternsAndEmptyGrepAreErrorsNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Filters.grep().regexp("level", "("));
    assertTrue(e.getMessage().contains("level") && e.getMessage().contains("\"(\""), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Filters.grep().build());
    assertThrows(IllegalArgumentException.class, () -> Filters.grep().regexp("$.a[", "x"));
    assertThrows(IllegalArgumentException.class, () -> Filters.grep().section("regexp", Map.of("key", "a")));
  }

  /**
   * Patterns that are whole words ({@code ^(INFO|WARN)$}) are compared without a matcher: for every
   * value, line breaks and neighbours included, the answer is the regular expression's.
   */
  @Test
  void wholeWordPatternsAnswerAsTheirRegularExpression() {
    List<String> patterns = List.of("^(INFO|WARN|ERROR)$", "^INFO$", "^(?:a|b_1)$", "^(x)$", "/^(INFO)$/i", "^(INFO|WARN)",
        "INFO", "^(IN.O)$", "^(INFO|)$");
    List<Object> values = List.of("INFO", "WARN", "ERROR", "info", "INFO\n", "INFO\r\n", "INFO\u2028", "INFO\n\n",
        "xINFO", "INFOx", "", "a", "b_1", "b_", "x", "x\r", "INF0", "IN\nFO", 1, true);
    for (String p : patterns) {
      java.util.regex.Pattern regex = Patterns.compile("regexp", p);
      assertEquals(p.startsWith("^(INFO|WARN|ERROR)$") || p.equals("^INFO$") || p.equals("^(?:a|b_1)$")
          || p.equals("^(x)$"), Patterns.wholeWords(regex) != null, p);
      Filter f = Filters.grep().regexp("v", p).build();
      for (Object v : values) {
        boolean expected = regex.matcher(String.valueOf(v)).find();
        assertEquals(expected, f.filter(event("t", "v", v)), p + " on " + v);
      }
    }
  }
}
