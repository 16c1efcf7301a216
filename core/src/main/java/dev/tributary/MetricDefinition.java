package dev.tributary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One number of {@link TributaryMetrics} (or of an output's {@link OutputMetrics}, or of a server's
 * {@link ServerMetrics}) with the names it goes by outside: a Micrometer meter name in the dotted
 * style with its tags, a JMX attribute name, whether it only grows (a counter) or goes up and down
 * (a gauge), and how to read it from a snapshot. {@link #instance()}, {@link #output()} and {@link
 * #server()} list them all, once: the JMX MBean and {@code tributary-micrometer}'s binder are both
 * made from these lists, so a counter added here shows in both.
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
 * @param <T> what the value is read from: {@link TributaryMetrics}, {@link OutputMetrics} or {@link
 *     ServerMetrics}
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
  private static final List<MetricDefinition<OutputMetrics>> OUTPUT;
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

    // each output's copies of events: the instance's numbers under tributary.output.*, item names
    // in lower camel case (they are the columns of the JMX Outputs table, as the servers' are)
    List<MetricDefinition<OutputMetrics>> o = new ArrayList<>();
    o.add(counter("tributary.output.events.emitted", "emitted",
        "copies of events routed to the output, dropped ones included", OutputMetrics::emitted));
    o.add(counter("tributary.output.events.delivered", "delivered",
        "copies the output delivered: acknowledged (written, with acks off), written or flushed",
        OutputMetrics::delivered));
    o.add(gauge("tributary.output.events.buffered", "bufferedEvents", null,
        "copies in the output's chunks not on the wire: open, sealed, waiting for a retry",
        OutputMetrics::bufferedEvents));
    o.add(gauge("tributary.output.events.in.flight", "inFlightEvents", null,
        "copies written by the output and waiting for their ack", OutputMetrics::inFlightEvents));
    o.add(gauge("tributary.output.buffer.used", "bufferedBytes", "bytes",
        "bytes of the output's own budget held (of its disk budget, with a file buffer)",
        OutputMetrics::bufferedBytes));
    for (DropReason r : DropReason.values()) {
      o.add(new MetricDefinition<>("tributary.output.events.dropped", Map.of("reason", lower(r)),
          "dropped" + camel(r), Kind.COUNTER, null, "copies the output's buffer dropped, by reason",
          m -> m.dropped(r)));
    }
    for (FailureReason r : FailureReason.values()) {
      o.add(new MetricDefinition<>("tributary.output.events.failed", Map.of("reason", lower(r)),
          "failed" + camel(r), Kind.COUNTER, null, "copies the output accepted and gave up, by reason",
          m -> m.failed(r)));
    }
    o.add(counter("tributary.output.chunks.retried", "retries",
        "the output's chunk sends that failed and were scheduled again", OutputMetrics::retries));
    o.add(counter("tributary.output.chunks.failed", "failedChunks", "the output's chunks given up",
        OutputMetrics::failedChunks));
    o.add(counter("tributary.output.events.resent", "resentEvents",
        "copies the output wrote again after a lost ack: the upper bound of its duplicates",
        OutputMetrics::resentEvents));
    o.add(counter("tributary.output.events.recovered", "recoveredEvents",
        "events a previous run left in the output's file buffer, found at start and queued to be sent",
        OutputMetrics::recoveredEvents));
    o.add(counter("tributary.output.chunks.quarantined", "quarantinedChunks",
        "the output's chunk files found unreadable at start and moved to its quarantine/",
        OutputMetrics::quarantinedChunks));
    o.add(new MetricDefinition<>("tributary.output.buffer.quarantined", Map.of(), "quarantinedBytes",
        Kind.COUNTER, "bytes", "bytes of the output's chunk files moved to its quarantine/",
        OutputMetrics::quarantinedBytes));
    o.add(counter("tributary.output.events.kept.on.disk", "keptOnDiskEvents",
        "copies the output left undelivered in its file buffer at close, for the next start (not a loss)",
        OutputMetrics::keptOnDiskEvents));
    OUTPUT = Collections.unmodifiableList(o);

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

  /**
   * Every number of an {@link OutputMetrics}, read once per output ({@link
   * TributaryMetrics#outputs()}), in a stable order; reasons as one definition each, every reason
   * present (a reason an output never counts stays 0). Meter names {@code tributary.output.*}, the
   * instance's names with {@code output} after {@code tributary}; attributes in lower camel case
   * ({@code delivered}, {@code droppedBufferFull}), the columns of the MBean's {@code Outputs} table.
   */
  public static List<MetricDefinition<OutputMetrics>> output() {
    return OUTPUT;
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

  /**
   * The JMX attribute name ({@code Emitted}, {@code DroppedBufferFull}); per output and per server,
   * the item name of its table's rows ({@code delivered}, {@code chunksSent}).
   */
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
