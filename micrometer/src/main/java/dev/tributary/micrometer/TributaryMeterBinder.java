package dev.tributary.micrometer;

import dev.tributary.Health;
import dev.tributary.MetricDefinition;
import dev.tributary.OutputMetrics;
import dev.tributary.ServerMetrics;
import dev.tributary.Tributary;
import dev.tributary.TributaryMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Binds one {@link Tributary} instance's counters to a Micrometer {@link MeterRegistry}: every
 * number of {@link Tributary#metrics()} ({@link MetricDefinition#instance()}) as a function counter
 * or a gauge, each output's numbers ({@link MetricDefinition#output()}) tagged {@code output} and
 * {@code type}, each server's numbers ({@link MetricDefinition#server()}) tagged {@code output} and {@code server}, and
 * {@link Tributary#health()} as three gauges, all tagged {@code name=<instance name>}. The meters
 * read the instance when the registry asks (a scrape, a publish): nothing is added to the event
 * path, and Tributary's core does not depend on Micrometer.
 *
 * <p>Meter names, and what a Prometheus scrape shows:
 * {@code tributary.events.emitted} ({@code tributary_events_emitted_total}),
 * {@code tributary.events.delivered}, {@code tributary.events.dropped{reason}},
 * {@code tributary.events.failed{reason}}, {@code tributary.events.resent},
 * {@code tributary.chunks.retried}, {@code tributary.chunks.failed},
 * {@code tributary.values.replaced} (counters); {@code tributary.events.buffered},
 * {@code tributary.events.in.flight}, {@code tributary.buffer.used} (bytes),
 * {@code tributary.server.connected}, {@code tributary.server.healthy} (gauges); per output
 * the same numbers under {@code tributary.output.*} ({@code tributary.output.events.delivered}
 * shows as {@code tributary_output_events_delivered_total{name="orders",output="archive",type="file"}}:
 * a name of their own, since Prometheus wants one set of tag keys per name); per server
 * {@code tributary.server.chunks.sent}, {@code .acked}, {@code .failed}; and
 * {@code tributary.health} (2 UP, 1 DEGRADED, 0 DOWN), {@code tributary.servers.connected},
 * {@code tributary.buffer.fill} (0.0 to 1.0).
 *
 * <p>Thread safe. Holds the instance strongly (so its meters keep reading it) but does not own
 * it: close the instance yourself. {@link #close()} removes the meters this binder registered, from
 * every registry it was bound to; bind it again to a new instance after a restart.
 *
 * <pre>{@code
 * Tributary tributary = Tributary.builder().name("orders").server("agg1", 24224).build();
 * TributaryMeterBinder binder = new TributaryMeterBinder(tributary);
 * binder.bindTo(registry);          // Spring Boot: declare the binder as a @Bean instead
 * ...
 * binder.close();                   // the meters go
 * tributary.close();
 * }</pre>
 */
public final class TributaryMeterBinder implements MeterBinder, AutoCloseable {

  /** The tag naming the instance on every meter. */
  public static final String NAME_TAG = "name";
  /** The tag naming the output on the per-output meters, as declared ({@code forward} by default). */
  public static final String OUTPUT_TAG = "output";
  /** The tag giving the output's type on the per-output meters: {@code forward}, {@code stdout}, ... */
  public static final String TYPE_TAG = "type";
  /** The tag naming the server on the per-server meters: {@code host:port}. */
  public static final String SERVER_TAG = "server";

  private final Tributary tributary;
  private final Tags tags;
  private final List<Registered> registered = new ArrayList<>();

  private record Registered(MeterRegistry registry, Meter meter) {}

  /** Meters tagged {@code name=<tributary.name()>}. */
  public TributaryMeterBinder(Tributary tributary) {
    this(tributary, Tags.empty());
  }

  /** Meters tagged {@code name=<tributary.name()>} and with {@code extraTags} (an application name, say). */
  public TributaryMeterBinder(Tributary tributary, Iterable<Tag> extraTags) {
    if (tributary == null) {
      throw new IllegalArgumentException("tributary must not be null");
    }
    this.tributary = tributary;
    this.tags = Tags.of(extraTags).and(NAME_TAG, tributary.name());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    List<Meter> meters = new ArrayList<>();
    for (MetricDefinition<TributaryMetrics> d : MetricDefinition.instance()) {
      meters.add(meter(registry, d, tags.and(tags(d)), t -> d.valueOf(t.metrics())));
    }
    TributaryMetrics now = tributary.metrics();
    List<OutputMetrics> outputs = now.outputs(); // fixed at build(): same order always
    for (int i = 0; i < outputs.size(); i++) {
      int index = i;
      Tags outputTags = tags.and(OUTPUT_TAG, outputs.get(i).name()).and(TYPE_TAG, outputs.get(i).type());
      for (MetricDefinition<OutputMetrics> d : MetricDefinition.output()) {
        meters.add(meter(registry, d, outputTags.and(tags(d)), t -> d.valueOf(t.metrics().outputs().get(index))));
      }
    }
    for (int o = 0; o < outputs.size(); o++) {
      int output = o;
      List<ServerMetrics> servers = outputs.get(o).servers(); // fixed at build(): same order always
      for (int i = 0; i < servers.size(); i++) {
        int index = i;
        // the output too: two forward outputs may send to the same host:port
        Tags serverTags = tags.and(OUTPUT_TAG, outputs.get(o).name()).and(SERVER_TAG, servers.get(i).server());
        for (MetricDefinition<ServerMetrics> d : MetricDefinition.server()) {
          meters.add(meter(registry, d, serverTags.and(tags(d)),
              t -> d.valueOf(t.metrics().outputs().get(output).servers().get(index))));
        }
      }
    }
    meters.add(Gauge.builder("tributary.health", tributary, t -> level(t.health().state()))
        .description("2 UP, 1 DEGRADED, 0 DOWN (see Health for the rules)")
        .tags(tags).strongReference(true).register(registry));
    meters.add(Gauge.builder("tributary.servers.connected", tributary, t -> t.health().connectedServers())
        .description("servers with a connection open now").tags(tags).strongReference(true).register(registry));
    meters.add(Gauge.builder("tributary.buffer.fill", tributary, t -> t.health().bufferFill())
        .description("share of the byte budget held, 0.0 to 1.0").tags(tags).strongReference(true)
        .register(registry));
    synchronized (registered) {
      for (Meter m : meters) {
        registered.add(new Registered(registry, m));
      }
    }
  }

  private Meter meter(MeterRegistry registry, MetricDefinition<?> d, Tags meterTags, ToDoubleFunction<Tributary> f) {
    if (d.kind() == MetricDefinition.Kind.COUNTER) {
      return FunctionCounter.builder(d.name(), tributary, f).description(d.description())
          .baseUnit(d.baseUnit()).tags(meterTags).register(registry);
    }
    return Gauge.builder(d.name(), tributary, f).description(d.description()).baseUnit(d.baseUnit())
        .tags(meterTags).strongReference(true).register(registry);
  }

  private static Tags tags(MetricDefinition<?> d) {
    Tags t = Tags.empty();
    for (Map.Entry<String, String> e : d.tags().entrySet()) {
      t = t.and(e.getKey(), e.getValue());
    }
    return t;
  }

  /** The health state as a gauge value: 2 UP, 1 DEGRADED, 0 DOWN. */
  static double level(Health.State state) {
    switch (state) {
      case UP:
        return 2;
      case DEGRADED:
        return 1;
      default:
        return 0;
    }
  }

  /** Removes the meters this binder registered from every registry it was bound to. Idempotent. */
  @Override
  public void close() {
    List<Registered> copy;
    synchronized (registered) {
      copy = new ArrayList<>(registered);
      registered.clear();
    }
    for (Registered r : copy) {
      r.registry().remove(r.meter());
    }
  }
}
