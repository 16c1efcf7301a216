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

class RecordTransformerFilterTest {

  private static Filters.RecordTransformer transformer() {
    return Filters.recordTransformer().hostname("web-1").environment(Map.of("REGION", "eu-west-1")::get);
  }

  @Test
  void placeholdersForHostTagTagPartsEnvAndRecordFieldsIncludingNested() {
    Filter f = transformer()
        .record("host", "${hostname}")
        .record("tag", "${tag}")
        .record("first", "${tag_parts[0]}")
        .record("last", "${tag_parts[-1]}")
        .record("prefix", "${tag_prefix[1]}")
        .record("suffix", "${tag_suffix[1]}")
        .record("region", "${env:REGION}")
        .record("who", "user ${record[\"user\"][\"id\"]} in ${record['level']}")
        .record("accessor", "${$.user.id}")
        .build();
    Filter.Event e = event("app.orders.eu", "level", "INFO", "user", map("id", 7));
    assertTrue(f.filter(e));
    Map<String, Object> r = e.record();
    assertEquals("web-1", r.get("host"));
    assertEquals("app.orders.eu", r.get("tag"));
    assertEquals("app", r.get("first"));
    assertEquals("eu", r.get("last"));
    assertEquals("app.orders", r.get("prefix"));
    assertEquals("orders.eu", r.get("suffix"));
    assertEquals("eu-west-1", r.get("region"));
    assertEquals("user 7 in INFO", r.get("who"));
    assertEquals(7, r.get("accessor"), "a placeholder alone keeps its type (auto_typecast)");
  }

  @Test
  void withoutAutoTypecastAPlaceholderAloneIsText() {
    Filter f = transformer().autoTypecast(false).record("n", "${record[\"count\"]}").build();
    Filter.Event e = event("t", "count", 42);
    f.filter(e);
    assertEquals("42", e.record().get("n"));
  }

  @Test
  void missingValuesAreEmptyTextAndOutOfRangeTagPartsToo() {
    Filter f = transformer().record("a", "[${record[\"nope\"]}]").record("b", "[${tag_parts[5]}]").build();
    Filter.Event e = event("t");
    f.filter(e);
    assertEquals("[]", e.record().get("a"));
    assertEquals("[]", e.record().get("b"));
  }

  @Test
  void setsNestedKeysMakingTheMapsOnTheWay() {
    Filter f = transformer().record("$.meta.origin.host", "${hostname}").build();
    Filter.Event e = event("t", "message", "m");
    f.filter(e);
    assertEquals(map("origin", map("host", "web-1")), e.record().get("meta"));
  }

  @Test
  void removesRenamesAndOverwritesFieldsNestedToo() {
    Filter f = transformer()
        .rename("msg", "message")
        .rename("$.user.name", "$.user.login")
        .record("level", "WARN")
        .removeKeys("secret", "$.user.ssn")
        .build();
    Filter.Event e = event("t", "msg", "hello", "level", "INFO", "secret", "s",
        "user", map("name", "ada", "ssn", "123"));
    f.filter(e);
    assertEquals(map("level", "WARN", "user", map("login", "ada"), "message", "hello"), e.record());
  }

  @Test
  void renewRecordKeepsOnlyKeepKeysAndTheNewFields() {
    Filter f = Filters.recordTransformer().renewRecord(true).keepKeys("message").record("tag", "${tag}").build();
    Filter.Event e = event("t.x", "message", "m", "level", "INFO");
    f.filter(e);
    assertEquals(map("message", "m", "tag", "t.x"), e.record());
  }

  @Test
  void templatesSeeTheRecordAsItCameInAsInFluentd() {
    Filter f = transformer().record("a", "new").record("b", "${record[\"a\"]}").build();
    Filter.Event e = event("t", "a", "old");
    f.filter(e);
    assertEquals("new", e.record().get("a"));
    assertEquals("old", e.record().get("b"));
  }

  @Test
  void fromFluentdParametersAndSections() {
    Filter f = Filters.recordTransformer()
        .section("record", Map.of("service", "${tag_parts[0]}"))
        .param("remove_keys", "a, b")
        .param("enable_ruby", "false")
        .build();
    Filter.Event e = event("shop.web", "a", 1, "b", 2, "c", 3);
    f.filter(e);
    assertEquals(map("c", 3, "service", "shop"), e.record());
  }

  @Test
  void unknownPlaceholdersRubyAndUnknownParametersAreErrorsNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Filters.recordTransformer().record("x", "${time.now}").build());
    assertTrue(e.getMessage().contains("${time.now}"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Filters.recordTransformer().param("enable_ruby", "true"));
    assertTrue(e.getMessage().contains("enable_ruby"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Filters.recordTransformer().param("remove_key", "a"));
    assertTrue(e.getMessage().contains("remove_key") && e.getMessage().contains("remove_keys"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Filters.recordTransformer().build());
  }

  @Test
  void keepsEventsAndTheDefaultOnErrorIsKeep() {
    Filter f = transformer().record("a", "b").build();
    assertEquals(Filter.OnError.KEEP, f.onError());
    assertEquals(Filter.OnError.DROP, transformer().record("a", "b").onError(Filter.OnError.DROP).build().onError());
    assertFalse(List.of().contains(f));
  }
}
