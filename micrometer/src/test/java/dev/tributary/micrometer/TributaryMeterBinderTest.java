package dev.tributary.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.MetricDefinition;
import dev.tributary.OutputMetrics;
import dev.tributary.Outputs;
import dev.tributary.ServerMetrics;
import dev.tributary.Tributary;
import dev.tributary.TributaryListener;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The binder's meters are {@code metrics()} and {@code health()}, under Micrometer's names and tags. */
class TributaryMeterBinderTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static double value(MeterRegistry registry, MetricDefinition<?> d, Tags tags) {
    Tags all = tags;
    for (Map.Entry<String, String> e : d.tags().entrySet()) {
      all = all.and(e.getKey(), e.getValue());
    }
    if (d.kind() == MetricDefinition.Kind.COUNTER) {
      FunctionCounter c = registry.get(d.name()).tags(all).functionCounter();
      return c.count();
    }
    Gauge g = registry.get(d.name()).tags(all).gauge();
    return g.value();
  }

  @Test
  void everyMeterMatchesMetricsAsEventsFlow() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (ForwardServer server = ForwardServer.start();
         Tributary t = Tributary.builder().name("orders").server(server.host(), server.port())
             .flushInterval(Duration.ofMillis(20)).listener(TributaryListener.NONE).build();
         TributaryMeterBinder binder = new TributaryMeterBinder(t)) {
      binder.bindTo(registry);
      Tags name = Tags.of("name", "orders");
      assertEquals(0, value(registry, MetricDefinition.instance().get(0), name));

      for (int i = 0; i < 7; i++) {
        t.emit("app.orders", Map.of("i", i));
      }
      t.emit("app.orders", Map.of("big", "x".repeat(2 * 1024 * 1024))); // TOO_LARGE
      server.awaitEvents(7, WAIT);
      Await.until("delivered", WAIT, () -> t.metrics().delivered() == 7);

      TributaryMetrics m = t.metrics();
      for (MetricDefinition<TributaryMetrics> d : MetricDefinition.instance()) {
        assertEquals(d.valueOf(m), value(registry, d, name), d.toString());
      }
      assertEquals(8, registry.get("tributary.events.emitted").tags(name).functionCounter().count());
      assertEquals(7, registry.get("tributary.events.delivered").tags(name).functionCounter().count());
      assertEquals(1, registry.get("tributary.events.dropped").tags(name).tag("reason", "too_large")
          .functionCounter().count());
      ServerMetrics s = m.servers().get(0);
      Tags serverTags = name.and("output", "forward").and("server", s.server());
      for (MetricDefinition<ServerMetrics> d : MetricDefinition.server()) {
        assertEquals(d.valueOf(s), value(registry, d, serverTags), d.toString());
      }
      assertEquals(1, registry.get("tributary.server.connected").tags(serverTags).gauge().value());
      assertEquals(1, registry.get("tributary.health").tags(name).gauge().value(),
          "DEGRADED: an event was dropped within reportInterval");
      assertEquals(1, registry.get("tributary.servers.connected").tags(name).gauge().value());
      assertEquals(t.health().bufferFill(), registry.get("tributary.buffer.fill").tags(name).gauge().value());
      assertEquals("bytes", registry.get("tributary.buffer.used").gauge().getId().getBaseUnit());
    }
  }

  @Test
  void oneMeterPerDefinitionAndServerAndCloseRemovesThem() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (ForwardServer a = ForwardServer.start();
         ForwardServer b = ForwardServer.start();
         Tributary t = Tributary.builder().name("two").server(a.host(), a.port()).server(b.host(), b.port())
             .listener(TributaryListener.NONE).build()) {
      TributaryMeterBinder binder = new TributaryMeterBinder(t, Tags.of("application", "shop"));
      binder.bindTo(registry);
      List<Meter> meters = registry.getMeters();
      assertEquals(MetricDefinition.instance().size() + MetricDefinition.output().size()
          + 2 * MetricDefinition.server().size() + 3, meters.size(), "one output, the default forward");
      Set<String> servers = new HashSet<>();
      for (Meter m : meters) {
        assertEquals("two", m.getId().getTag("name"), m.getId().toString());
        assertEquals("shop", m.getId().getTag("application"), m.getId().toString());
        assertTrue(m.getId().getName().startsWith("tributary."), m.getId().toString());
        if (m.getId().getTag("server") != null) {
          servers.add(m.getId().getTag("server"));
        }
      }
      assertEquals(Set.of(a.host() + ":" + a.port(), b.host() + ":" + b.port()), servers);
      binder.close();
      assertEquals(List.of(), registry.getMeters());
      binder.close(); // idempotent
    }
  }

  @Test
  void perOutputMetersMatchEachOutputsMetricsAndGoAtClose() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (ForwardServer server = ForwardServer.start();
         Tributary t = Tributary.builder().name("routed")
             .output("aggregators", Outputs.forward().server(server.host(), server.port()))
             .output("discard", Outputs.nullOutput())
             .match("app.**", "aggregators", "discard")
             .match("debug.**", "discard")
             .flushInterval(Duration.ofMillis(20)).listener(TributaryListener.NONE).build()) {
      TributaryMeterBinder binder = new TributaryMeterBinder(t);
      binder.bindTo(registry);
      Tags aggregators = Tags.of("name", "routed", "output", "aggregators", "type", "forward");
      Tags discard = Tags.of("name", "routed", "output", "discard", "type", "null");
      assertEquals(0, registry.get("tributary.output.events.emitted").tags(aggregators).functionCounter().count());

      for (int i = 0; i < 4; i++) {
        t.emit("app.orders", Map.of("i", i));
      }
      t.emit("debug.orders", Map.of("i", 4));
      server.awaitEvents(4, WAIT);
      Await.until("every copy delivered", WAIT, () -> t.metrics().output("aggregators").delivered() == 4
          && t.metrics().output("discard").delivered() == 5);

      TributaryMetrics m = t.metrics();
      for (MetricDefinition<OutputMetrics> d : MetricDefinition.output()) {
        assertEquals(d.valueOf(m.output("aggregators")), value(registry, d, aggregators), "aggregators: " + d);
        assertEquals(d.valueOf(m.output("discard")), value(registry, d, discard), "discard: " + d);
      }
      assertEquals(4, registry.get("tributary.output.events.delivered").tags(aggregators).functionCounter().count());
      assertEquals(5, registry.get("tributary.output.events.delivered").tags(discard).functionCounter().count());
      assertEquals(9, registry.get("tributary.events.delivered").tags("name", "routed").functionCounter().count(),
          "the instance's meter stays, counting every copy");
      assertEquals("bytes", registry.get("tributary.output.buffer.used").tags(aggregators).gauge().getId()
          .getBaseUnit());

      Set<String> outputs = new HashSet<>();
      int perOutput = 0;
      for (Meter meter : registry.getMeters()) {
        String output = meter.getId().getTag("output");
        if (output != null && meter.getId().getTag("server") == null) {
          outputs.add(output);
          perOutput++;
          assertTrue(meter.getId().getName().startsWith("tributary.output."), meter.getId().toString());
        }
      }
      assertEquals(Set.of("aggregators", "discard"), outputs);
      assertEquals(2 * MetricDefinition.output().size(), perOutput, "one meter per definition and output");
      binder.close();
      assertEquals(List.of(), registry.getMeters());
    }
  }

  @Test
  void healthGaugeFollowsTheState() {
    MeterRegistry registry = new SimpleMeterRegistry();
    ForwardServer server = ForwardServer.start();
    Tributary t = Tributary.builder().name("closing").server(server.host(), server.port())
        .listener(TributaryListener.NONE).build();
    try (TributaryMeterBinder binder = new TributaryMeterBinder(t)) {
      binder.bindTo(registry);
      assertEquals(2, registry.get("tributary.health").gauge().value());
      t.close();
      assertEquals(0, registry.get("tributary.health").gauge().value(), "DOWN once closed");
    } finally {
      t.close();
      server.close();
    }
  }
}
