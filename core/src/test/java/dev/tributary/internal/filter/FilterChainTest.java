package dev.tributary.internal.filter;

import static dev.tributary.internal.filter.FilterEvents.event;
import static dev.tributary.internal.filter.FilterEvents.list;
import static dev.tributary.internal.filter.FilterEvents.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.DropReason;
import dev.tributary.Filter;
import dev.tributary.Filters;
import dev.tributary.internal.metrics.Counters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the chain undoes when a filter throws, for each kind of filter it keeps less of the event for. */
class FilterChainTest {

  /** Changes the top level only (as a record_transformer on top-level keys), then throws. */
  static final class TopLevelVandal implements Filter, TopLevelChanges {
    @Override
    public boolean filter(Event e) {
      e.record().put("level", "CHANGED");
      e.record().remove("id");
      e.record().put("new", 1);
      e.tag("other");
      throw new IllegalStateException("top");
    }

    @Override
    public boolean changesTopLevelOnly() {
      return true;
    }
  }

  /** Changes nested values in place, then throws. */
  static final class DeepVandal implements Filter {
    @Override
    @SuppressWarnings("unchecked")
    public boolean filter(Event e) {
      ((Map<String, Object>) e.record().get("user")).put("name", "mallory");
      ((List<Object>) e.record().get("tags")).add("x");
      e.record().put("level", "CHANGED");
      throw new IllegalStateException("deep");
    }
  }

  private static List<Filter.Event> run(Filter.Event event, Filter... filters) {
    FilterChain chain = new FilterChain(List.of(filters), new Counters());
    List<Filter.Event> out = new ArrayList<>();
    chain.run(event, new FilterScratch(), out::add);
    return out;
  }

  @Test
  void aFilterThatChangesTheTopLevelOnlyIsUndoneFromACopyOfTheTopLevel() {
    Filter.Event e = event("app", "level", "INFO", "id", 7, "user", map("name", "ada"));
    Object user = e.record().get("user");
    List<Filter.Event> out = run(e, new TopLevelVandal(), Filters.recordTransformer().record("after", "yes").build());
    assertEquals(1, out.size());
    assertEquals("app", out.get(0).tag());
    assertEquals(map("level", "INFO", "id", 7, "user", map("name", "ada"), "after", "yes"), out.get(0).record());
    assertEquals(List.of("level", "id", "user", "after"), List.copyOf(out.get(0).record().keySet()), "field order kept");
    assertEquals(user, out.get(0).record().get("user"));
  }

  @Test
  void aFilterThatChangesNestedValuesIsUndoneFromADeepCopy() {
    Filter.Event e = event("app", "level", "INFO", "user", map("name", "ada"), "tags", list("a"));
    List<Filter.Event> out = run(e, new DeepVandal());
    assertEquals(map("level", "INFO", "user", map("name", "ada"), "tags", List.of("a")), out.get(0).record());
  }

  @Test
  void aTransformerThatSetsNestedPathsIsNotTakenForATopLevelOne() {
    Filter nested = Filters.recordTransformer().record("$.user.name", "x").build();
    assertEquals(false, ((TopLevelChanges) nested).changesTopLevelOnly());
    assertEquals(true, ((TopLevelChanges) Filters.recordTransformer().record("a", "x").removeKeys("b").build())
        .changesTopLevelOnly());
  }

  @Test
  void aFilterWithOnErrorDropIsNotCopiedFirstAndItsEventIsDropped() {
    Counters counters = new Counters();
    FilterChain chain = new FilterChain(List.of(new DeepVandal().withOnError(Filter.OnError.DROP)), counters);
    List<Filter.Event> out = new ArrayList<>();
    chain.run(event("app", "level", "INFO", "user", map("name", "ada"), "tags", list("a")), new FilterScratch(),
        out::add);
    assertEquals(0, out.size());
    assertEquals(1L, counters.droppedSnapshot().get(DropReason.FILTER_ERROR));
  }
}
