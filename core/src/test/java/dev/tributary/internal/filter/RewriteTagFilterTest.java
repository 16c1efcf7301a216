package dev.tributary.internal.filter;

import static dev.tributary.internal.filter.FilterEvents.event;
import static dev.tributary.internal.filter.FilterEvents.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Filter;
import dev.tributary.Filters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewriteTagFilterTest {

  @Test
  void aMatchingRuleGivesTheEventANewTagFromGroupsTagPartsAndFields() {
    Filter f = Filters.rewriteTag()
        .rule("$level ^(ERROR|FATAL)$ alerts.$1.$TAG[1].$service false")
        .build();
    Filter.Event e = event("app.orders", "level", "ERROR", "service", "shop");
    assertTrue(f.filter(e));
    assertEquals("alerts.ERROR.orders.shop", e.tag());
    assertTrue(e.takeCopies().isEmpty());
  }

  @Test
  void noMatchLeavesTheTagAndTheFirstMatchingRuleWins() {
    Filter f = Filters.rewriteTag()
        .rule("$kubernetes['namespace_name'] ^prod$ prod.$TAG false")
        .rule("$level . other false")
        .build();
    Filter.Event prod = event("app", "level", "INFO", "kubernetes", map("namespace_name", "prod"));
    f.filter(prod);
    assertEquals("prod.app", prod.tag());
    Filter.Event none = event("app", "message", "m");
    f.filter(none);
    assertEquals("app", none.tag());
  }

  @Test
  void keepTrueKeepsTheEventAndEmitsACopyUnderTheNewTag() {
    Filter f = Filters.rewriteTag().rule("$level ERROR alerts true").build();
    Filter.Event e = event("app", "level", "ERROR", "user", map("id", 1));
    f.filter(e);
    assertEquals("app", e.tag());
    List<Filter.Event> copies = e.takeCopies();
    assertEquals(1, copies.size());
    assertEquals("alerts", copies.get(0).tag());
    assertEquals(e.record(), copies.get(0).record());
    ((Map<String, Object>) copies.get(0).record().get("user")).put("id", 2);
    assertEquals(map("id", 1), e.record().get("user"), "the copy's record is its own");
  }

  @Test
  void anInvalidNewTagIsThisFiltersError() {
    Filter f = Filters.rewriteTag().rule("$user .+ app.$user false").build();
    assertThrows(IllegalArgumentException.class, () -> f.filter(event("app", "user", "a b")));
  }

  @Test
  void badRulesAreErrorsNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Filters.rewriteTag().rule("$level ERROR alerts"));
    assertTrue(e.getMessage().contains("$level ERROR alerts"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Filters.rewriteTag().rule("level ERROR alerts false"));
    assertThrows(IllegalArgumentException.class, () -> Filters.rewriteTag().rule("$level ERROR alerts maybe"));
    assertThrows(IllegalArgumentException.class, () -> Filters.rewriteTag().build());
    assertTrue(Filters.of("rewrite_tag", Map.of("Rule", "$a b c false", "Emitter_Name", "re")) != null);
  }
}
