package dev.tributary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One number of {@link TributaryMetrics} (or of a server's {@link ServerMetrics}) with the names it
 * goes by outside: a Micrometer meter name in the dotted style with its tags, a JMX attribute name,
 * whether it only grows (a counter) or goes up and down (a gauge), and how to read it from a
 * snapshot. {@link #instance()} and {@link #server()} list them all, once: the JMX MBean and
 * {@code tributary-micrometer}'s binder are both made from these lists, so a counter added here
 * shows in both.
 *
 * <p>Immutable and thread safe.
 *
 * <pre>{@code
 * TributaryMetrics m = tributary.metrics();
 * for (MetricDefinition<TributaryMetrics> d : MetricDefinition.instance()) {
 *   System.out.println(d.name() + d.tags() + " = " + d.valueOf(m));
 * }
 * }</pre>
 *
 * @param <T> what the value is read from: {@link TributaryMetrics} or {@link ServerMetrics}
 */
public final class MetricDefinition<T> {

  /** Whether a value only grows (counted since start) or is a level that goes up and down. */
  public enum Kind {
    COUNTER,
    GAUGE
  }

  private final String name;
  private final Map<String, String> tags;
  private final String attribute;
  private final Kind kind;
  private final String baseUnit;
  private final String description;
  private final ToLongFunction<T> value;

  private MetricDefinition(String name, Map<String, String> tags, String attribute, Kind kind,
      String baseUnit, String description, ToLongFunction<T> value) {
    this.name = name;
    this.tags = tags;
    this.attribute = attribute;
    this.kind = kind;
    this.baseUnit = baseUnit;
    this.description = description;
    this.value = value;
  }

  private static final List<MetricDefinition<TributaryMetrics>> INSTANCE;
  private static final List<MetricDefinition<ServerMetrics>> SERVER;

  static {
    List<MetricDefinition<TributaryMetrics>> l = new ArrayList<>();
    l.add(counter("tributary.events.emitted", "Emitted", "events passed to emit, dropped ones included",
        TributaryMetrics::emitted));
    l.add(counter("tributary.events.delivered", "Delivered",
        "events acknowledged by a server (written, with acks off); resent copies count once",
        TributaryMetrics::delivered));
    l.add(gauge("tributary.events.buffered", "BufferedEvents", null,
        "events in chunks not on the wire: open, sealed, waiting for a retry", TributaryMetrics::bufferedEvents));
    l.add(gauge("tributary.events.in.flight", "InFlightEvents", null, "events written and waiting for their ack",
        TributaryMetrics::inFlightEvents));
    l.add(gauge("tributary.buffer.used", "BufferedBytes", "bytes",
        "bytes of the byte budget held (of the disk budget, for outputs with a file buffer)",
        TributaryMetrics::bufferedBytes));
    for (DropReason r : DropReason.values()) {
      l.add(new MetricDefinition<>("tributary.events.dropped", Map.of("reason", lower(r)),
          "Dropped" + camel(r), Kind.COUNTER, null, "events dropped before they were buffered, by reason",
          m -> m.dropped(r)));
    }
    for (FailureReason r : FailureReason.values()) {
      l.add(new MetricDefinition<>("tributary.events.failed", Map.of("reason", lower(r)),
          "Failed" + camel(r), Kind.COUNTER, null, "accepted events given up, by reason", m -> m.failed(r)));
    }
    l.add(counter("tributary.chunks.retried", "Retries", "chunk sends that failed and were scheduled again",
        TributaryMetrics::retries));
    l.add(counter("tributary.chunks.failed", "FailedChunks", "chunks given up", TributaryMetrics::failedChunks));
    l.add(counter("tributary.events.resent", "ResentEvents",
        "events written again after a lost ack: the upper bound of duplicates", TributaryMetrics::resentEvents));
    l.add(counter("tributary.values.replaced", "ReplacedValues",
        "record values replaced by a marker (cycle, nesting too deep, failing toString)",
        TributaryMetrics::replacedValues));
    l.add(counter("tributary.events.recovered", "RecoveredEvents",
        "events a previous run left in the file buffer, found at start and queued to be sent",
        TributaryMetrics::recoveredEvents));
    l.add(counter("tributary.chunks.quarantined", "QuarantinedChunks",
        "chunk files found unreadable at start and moved to quarantine/", TributaryMetrics::quarantinedChunks));
    l.add(new MetricDefinition<>("tributary.buffer.quarantined", Map.of(), "QuarantinedBytes", Kind.COUNTER,
        "bytes", "bytes of the chunk files moved to quarantine/", TributaryMetrics::quarantinedBytes));
    l.add(counter("tributary.events.kept.on.disk", "KeptOnDiskEvents",
        "events left undelivered in the file buffer at close, for the next start (not a loss)",
        TributaryMetrics::keptOnDiskEvents));
    INSTANCE = Collections.unmodifiableList(l);

    List<MetricDefinition<ServerMetrics>> s = new ArrayList<>();
    s.add(counter("tributary.server.chunks.sent", "chunksSent", "chunks written to the server, resends included",
        ServerMetrics::chunksSent));
    s.add(counter("tributary.server.chunks.acked", "chunksAcked",
        "chunks the server acknowledged (written, with acks off)", ServerMetrics::chunksAcked));
    s.add(counter("tributary.server.chunks.failed", "chunksFailed",
        "chunks handed back to be sent again because of the server", ServerMetrics::chunksFailed));
    s.add(gauge("tributary.server.connected", "connected", null, "1 while a connection to the server is open",
        m -> m.connected() ? 1 : 0));
    s.add(gauge("tributary.server.healthy", "healthy", null,
        "1 unless the failure detector holds the server detached", m -> m.healthy() ? 1 : 0));
    SERVER = Collections.unmodifiableList(s);
  }

  private static <T> MetricDefinition<T> counter(String name, String attribute, String description,
      ToLongFunction<T> value) {
    return new MetricDefinition<>(name, Map.of(), attribute, Kind.COUNTER, null, description, value);
  }

  private static <T> MetricDefinition<T> gauge(String name, String attribute, String baseUnit,
      String description, ToLongFunction<T> value) {
    return new MetricDefinition<>(name, Map.of(), attribute, Kind.GAUGE, baseUnit, description, value);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** {@code BUFFER_FULL} as {@code BufferFull}. */
  private static String camel(Enum<?> e) {
    StringBuilder b = new StringBuilder();
    for (String part : e.name().split("_")) {
      b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return b.toString();
  }

  /** Every number of {@link TributaryMetrics}, in a stable order; reasons as one definition each. */
  public static List<MetricDefinition<TributaryMetrics>> instance() {
    return INSTANCE;
  }

  /** Every number of a {@link ServerMetrics}, read once per configured server. */
  public static List<MetricDefinition<ServerMetrics>> server() {
    return SERVER;
  }

  /** The meter name, Micrometer's dotted style: {@code tributary.events.emitted}. */
  public String name() {
    return name;
  }

  /** Tags that tell this definition from others of the same name ({@code reason}); often empty. */
  public Map<String, String> tags() {
    return tags;
  }

  /** The JMX attribute name ({@code Emitted}, {@code DroppedBufferFull}); per server, the item name. */
  public String attribute() {
    return attribute;
  }

  public Kind kind() {
    return kind;
  }

  /** The base unit ({@code bytes}), or null for a count of events or chunks. */
  public String baseUnit() {
    return baseUnit;
  }

  public String description() {
    return description;
  }

  /** This number in {@code snapshot}. */
  public long valueOf(T snapshot) {
    return value.applyAsLong(snapshot);
  }

  @Override
  public String toString() {
    return name + (tags.isEmpty() ? "" : tags.toString()) + " (" + attribute + ", " + kind + ")";
  }
}
