package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Filters on every emit path, delivered for real: what arrives, what is counted, what the listener hears. */
class FilterPipelineTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  /** What the listener heard. */
  static final class Heard implements TributaryListener {
    final List<Map<DropReason, Long>> summaries = new CopyOnWriteArrayList<>();
    final List<String> filterErrors = new CopyOnWriteArrayList<>();

    @Override
    public void onSummary(Map<DropReason, Long> dropped, Map<FailureReason, Long> failed) {
      summaries.add(dropped);
    }

    @Override
    public void onFilterErrors(String filter, long errors, Filter.OnError onError, Throwable last) {
      filterErrors.add(filter + " " + errors + " " + onError + " " + last.getMessage());
    }
  }

  private static Tributary.Builder builder(ForwardServer server, Filter... filters) {
    return Tributary.builder().server("127.0.0.1", server.port()).flushInterval(Duration.ofMillis(20)).filter(filters);
  }


  @Test
  void apiEventsAreTransformedMaskedAndGreppedAndTheApplicationsMapIsNotTouched() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server,
            Filters.recordTransformer().record("service", "${tag_parts[0]}").removeKeys("internal").build(),
            Filters.redact().keys("password").build(),
            Filters.grep().exclude("level", "^DEBUG$").build()).build()) {
      Map<String, Object> user = new LinkedHashMap<>(Map.of("password", "hunter2", "name", "ada"));
      Map<String, Object> record = new LinkedHashMap<>(Map.of("level", "INFO", "internal", 1, "user", user));
      t.emit("shop.orders", record);
      t.emit("shop.orders", Map.of("level", "DEBUG")); // an immutable map is fine too
      t.emit("shop.orders", EventTime.of(1_700_000_000L, 7), Map.of("level", "WARN", "mail", "a@b.com"));
      List<ReceivedEvent> got = server.awaitEvents(2, WAIT);
      assertEquals(Map.of("level", "INFO", "service", "shop", "user", Map.of("password", "****", "name", "ada")),
          got.get(0).record());
      assertEquals(Map.of("level", "WARN", "service", "shop", "mail", "****@b.com"), got.get(1).record());
      assertEquals(EventTime.of(1_700_000_000L, 7), got.get(1).time());
      assertEquals("hunter2", user.get("password"), "the application's map is never changed");
      assertEquals(1, record.get("internal"));
      assertEquals(0, t.close(WAIT));
      TributaryMetrics m = t.metrics();
      assertEquals(3, m.emitted());
      assertEquals(2, m.delivered());
      assertEquals(1, m.dropped(DropReason.FILTERED));
      assertEquals(0, m.droppedLost());
      Accounting.assertSettled(m);
    }
  }

  @Test
  void eventBuilderEventsPassThroughFiltersAndAnUntouchedOneArrivesAsWithoutFilters() {
    try (ForwardServer server = ForwardServer.start();
        Tributary plain = Tributary.builder().server("127.0.0.1", server.port()).build();
        Tributary filtered = builder(server, e -> true, e -> {
          if (e.record().get("user") instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> u = (Map<String, Object>) e.record().get("user");
            u.put("checked", true);
          }
          return true;
        }).build()) {
      for (Tributary t : List.of(plain, filtered)) {
        t.event("app.same").time(EventTime.of(1_700_000_000L, 1))
            .put("id", 42).put("big", 1L << 40).put("amount", 9.99).put("ratio", 0.5f).put("s", "é")
            .put("bytes", new byte[] {1}).beginArray("items").add("x").add(3).endArray().emit();
        t.flush();
        server.awaitEvents(t == plain ? 1 : 2, WAIT);
      }
      t2(filtered);
      List<ReceivedEvent> got = server.awaitEvents(3, WAIT);
      assertEquals(got.get(0).rawRecord(), got.get(1).rawRecord(), "same bytes, value by value, with a no-op filter");
      assertEquals(got.get(0).time(), got.get(1).time());
      assertEquals(Map.of("id", 7L, "checked", true), got.get(2).get("user"));
      assertEquals(0, filtered.close(WAIT));
      Accounting.assertSettled(filtered.metrics());
    }
  }

  private static void t2(Tributary t) {
    t.event("app.nested").putMap("user", u -> u.put("id", 7)).emit();
  }

  @Test
  void recordFormatterEventsAreAMapForTheFilters() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server, Filters.recordTransformer().record("copy", "${record[\"text\"]}").build())
            .build()) {
      StringBuilder reused = new StringBuilder("from a builder");
      RecordFormatter<String> f = (s, out) -> out.field("text", (CharSequence) reused).field("n", 5L).field("src", s);
      t.emit("app.fmt", 1_700_000_000L, 0, "source", f);
      ReceivedEvent e = server.awaitEvents(1, WAIT).get(0);
      assertEquals(Map.of("text", "from a builder", "n", 5L, "src", "source", "copy", "from a builder"), e.record());
      assertEquals(0, t.close(WAIT));
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void aThrowingFilterKeepsTheEventByDefaultIsCountedAndReportedAndTheAppSeesNothing() {
    Heard heard = new Heard();
    Filter broken = e -> {
      e.record().put("seen", true);
      throw new IllegalStateException("boom");
    };
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server, broken, Filters.recordTransformer().record("after", "yes").build())
            .listener(heard).reportInterval(Duration.ofMillis(50)).build()) {
      t.emit("app", Map.of("a", 1));
      t.emit("app", Map.of("a", 2));
      List<ReceivedEvent> got = server.awaitEvents(2, WAIT);
      assertEquals(Map.of("a", 1L, "after", "yes"), got.get(0).record(), "kept unchanged; later filters ran");
      Await.until("the filter's errors reported", WAIT, () -> !heard.filterErrors.isEmpty());
      assertTrue(heard.filterErrors.get(0).startsWith("#1 "), heard.filterErrors.toString());
      assertTrue(heard.filterErrors.get(0).endsWith(" KEEP boom"), heard.filterErrors.toString());
      assertEquals(2, heard.filterErrors.stream().mapToLong(s -> Long.parseLong(s.split(" ")[2])).sum());
      assertEquals(0, t.close(WAIT));
      assertEquals(2, t.metrics().filterErrors());
      Accounting.assertSettled(t.metrics());
    }
  }

  /**
   * A filter that changes everything it can (fields added, replaced and removed, a nested map and a
   * list changed in place, the tag, a copy emitted) and then throws: with KEEP the event goes on
   * exactly as it came, on every emit path, and the copy is not sent; with DROP neither is sent.
   */
  @Test
  void aFilterThatThrowsAfterChangingTheEventHasItsChangesUndone() {
    Filter vandal = e -> {
      Map<String, Object> r = e.record();
      if (r.containsKey("fine")) {
        r.put("touched", true); // this one succeeds: its change stays
        return true;
      }
      r.put("added", 1);
      r.put("level", "CHANGED");
      r.remove("id");
      @SuppressWarnings("unchecked")
      Map<String, Object> user = (Map<String, Object>) r.get("user");
      user.put("name", "mallory");
      user.remove("role");
      @SuppressWarnings("unchecked")
      List<Object> tags = (List<Object>) r.get("tags");
      tags.clear();
      e.tag("elsewhere");
      e.emitCopy("copy", new LinkedHashMap<>(Map.of("copy", true)));
      throw new IllegalStateException("after the damage");
    };
    Map<String, Object> expected = Map.of("level", "INFO", "id", 7L,
        "user", Map.of("name", "ada", "role", "admin"), "tags", List.of("a", "b"), "after", "yes");
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server, vandal, Filters.recordTransformer().record("after", "yes").build()).build()) {
      Map<String, Object> user = new LinkedHashMap<>(Map.of("name", "ada", "role", "admin"));
      t.emit("app.keep", new LinkedHashMap<>(Map.of("level", "INFO", "id", 7, "user", user,
          "tags", new java.util.ArrayList<>(List.of("a", "b")))));
      t.event("app.keep").put("level", "INFO").put("id", 7).putMap("user", u -> u.put("name", "ada").put("role", "admin"))
          .beginArray("tags").add("a").add("b").endArray().emit();
      t.emit("app.keep", 1_700_000_000L, 0, "INFO", (lvl, out) -> out.field("level", lvl).field("id", 7L)
          .field("user", new LinkedHashMap<>(Map.of("name", "ada", "role", "admin")))
          .field("tags", new java.util.ArrayList<>(List.of("a", "b"))));
      t.emit("app.keep", Map.of("fine", 1));
      List<ReceivedEvent> got = server.awaitEvents(4, WAIT);
      for (int i = 0; i < 3; i++) {
        assertEquals("app.keep", got.get(i).tag(), "event " + i);
        assertEquals(expected, got.get(i).record(), "event " + i);
      }
      assertEquals(Map.of("fine", 1L, "touched", true, "after", "yes"), got.get(3).record());
      assertEquals(Map.of("name", "ada", "role", "admin"), user, "the application's map is never changed");
      assertEquals(0, t.close(WAIT));
      TributaryMetrics m = t.metrics();
      assertEquals(3, m.filterErrors());
      assertEquals(4, m.emitted(), "the copies were discarded, not counted");
      assertEquals(4, m.delivered());
      Accounting.assertSettled(m);
      assertTrue(server.events().stream().noneMatch(e -> e.tag().equals("copy") || e.tag().equals("elsewhere")));
    }
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server, vandal.withOnError(Filter.OnError.DROP)).build()) {
      t.emit("app.drop", new LinkedHashMap<>(Map.of("level", "INFO", "id", 7,
          "user", new LinkedHashMap<>(Map.of("name", "ada", "role", "admin")),
          "tags", new java.util.ArrayList<>(List.of("a", "b")))));
      t.emit("app.drop", Map.of("fine", 1));
      assertEquals(Map.of("fine", 1L, "touched", true), server.awaitEvents(1, WAIT).get(0).record());
      assertEquals(0, t.close(WAIT));
      TributaryMetrics m = t.metrics();
      assertEquals(1, m.dropped(DropReason.FILTER_ERROR));
      assertEquals(2, m.emitted());
      Accounting.assertSettled(m);
      assertEquals(1, server.events().size(), "neither the event nor its copy");
    }
  }

  /**
   * The record map and event the filters see are reused from event to event on a thread: no field
   * of one event reaches the next, and an emit from inside a filter (a filter that logs) gets maps
   * of its own, leaving the outer event as it was.
   */
  @Test
  void reusedRecordsCarryNothingOverAndAnEmitFromInsideAFilterIsAnEventOfItsOwn() {
    Tributary[] self = new Tributary[1];
    Filter logs = e -> {
      if (e.tag().equals("app.outer")) {
        self[0].emit("app.inner", Map.of("inner", true));
      }
      return true;
    };
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server, logs, Filters.recordTransformer().record("t", "${tag}").build()).build()) {
      self[0] = t;
      t.emit("app.first", Map.of("x", 1, "y", 2, "z", 3));
      t.emit("app.second", Map.of("w", 4));
      t.emit("app.outer", Map.of("outer", true));
      t.emit("app.fmt", 0, 0, "v", (s, out) -> out.field("f", s));
      t.emit("app.fmt2", 0, 0, "v", (s, out) -> out.field("g", s));
      List<ReceivedEvent> got = server.awaitEvents(6, WAIT);
      Map<String, Map<String, Object>> byTag = new java.util.HashMap<>();
      for (ReceivedEvent e : got) {
        byTag.put(e.tag(), e.record());
      }
      assertEquals(Map.of("x", 1L, "y", 2L, "z", 3L, "t", "app.first"), byTag.get("app.first"));
      assertEquals(Map.of("w", 4L, "t", "app.second"), byTag.get("app.second"));
      assertEquals(Map.of("inner", true, "t", "app.inner"), byTag.get("app.inner"));
      assertEquals(Map.of("outer", true, "t", "app.outer"), byTag.get("app.outer"));
      assertEquals(Map.of("f", "v", "t", "app.fmt"), byTag.get("app.fmt"));
      assertEquals(Map.of("g", "v", "t", "app.fmt2"), byTag.get("app.fmt2"));
      assertEquals(0, t.close(WAIT));
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void aThrowingFilterWithOnErrorDropDropsAsFilterErrorAndSummarises() {
    Heard heard = new Heard();
    Filter broken = ((Filter) e -> {
      throw new IllegalStateException("boom");
    }).withOnError(Filter.OnError.DROP);
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server, broken).listener(heard).reportInterval(Duration.ofMillis(50)).build()) {
      t.emit("app", Map.of("a", 1));
      t.event("app").put("a", 2).emit();
      t.emit("app", 0, 0, "x", (s, out) -> out.field("a", s));
      Await.until("the drops summarised", WAIT,
          () -> heard.summaries.stream().mapToLong(m -> m.getOrDefault(DropReason.FILTER_ERROR, 0L)).sum() == 3);
      assertEquals(0, t.close(WAIT));
      TributaryMetrics m = t.metrics();
      assertEquals(3, m.dropped(DropReason.FILTER_ERROR));
      assertEquals(3, m.filterErrors());
      assertEquals(0, m.delivered());
      Accounting.assertSettled(m);
      assertTrue(server.events().isEmpty());
    }
  }

  @Test
  void throttledDropsAreSummarisedAndFilteredOnesAreNot() {
    Heard heard = new Heard();
    long[] now = {0};
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server,
            Filters.grep().exclude("level", "DEBUG").build(),
            Filters.throttle().rate(2).window(1).nanoClock(() -> now[0]).build())
            .listener(heard).reportInterval(Duration.ofMillis(50)).build()) {
      for (int i = 0; i < 5; i++) {
        t.emit("app", Map.of("level", "INFO", "i", i));
        t.emit("app", Map.of("level", "DEBUG"));
      }
      server.awaitEvents(2, WAIT);
      Await.until("the throttled summarised", WAIT,
          () -> heard.summaries.stream().mapToLong(m -> m.getOrDefault(DropReason.THROTTLED, 0L)).sum() == 3);
      assertFalse(heard.summaries.stream().anyMatch(m -> m.containsKey(DropReason.FILTERED)), heard.summaries.toString());
      assertEquals(0, t.close(WAIT));
      TributaryMetrics m = t.metrics();
      assertEquals(3, m.dropped(DropReason.THROTTLED));
      assertEquals(5, m.dropped(DropReason.FILTERED));
      assertEquals(3, m.droppedLost());
      Accounting.assertSettled(m);
    }
  }

  @Test
  void rewriteTagWithKeepSendsBothEventsAndCountsTheCopyAsEmitted() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server,
            Filters.rewriteTag().rule("$level ^ERROR$ alerts.$TAG true").build(),
            Filters.recordTransformer().record("routed_as", "${tag}").build()).build()) {
      t.emit("app", Map.of("level", "ERROR"));
      t.emit("app", Map.of("level", "INFO"));
      List<ReceivedEvent> got = server.awaitEvents(3, WAIT);
      Map<String, Object> byTag = new LinkedHashMap<>();
      got.forEach(e -> byTag.merge(e.tag(), e.get("routed_as"), (a, b) -> a + "," + b));
      assertEquals(Map.of("alerts.app", "alerts.app", "app", "app,app"), byTag);
      assertEquals(0, t.close(WAIT));
      assertEquals(3, t.metrics().emitted());
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void aBadTagStillThrowsAndEventsAfterCloseAreClosedDrops() {
    try (ForwardServer server = ForwardServer.start();
        Tributary t = builder(server, e -> true).build()) {
      assertThrows(IllegalArgumentException.class, () -> t.emit("bad tag", Map.of()));
      t.close(WAIT);
      t.emit("app", Map.of("a", 1));
      assertEquals(1, t.metrics().dropped(DropReason.CLOSED));
      Accounting.assertSettled(t.metrics());
    }
  }
}
