package dev.tributary.internal.jmx;

import dev.tributary.Health;
import dev.tributary.MetricDefinition;
import dev.tributary.OutputMetrics;
import dev.tributary.ServerMetrics;
import dev.tributary.TributaryMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * The read-only MBean of one instance: every number of {@code metrics()} as an attribute (made
 * from {@link MetricDefinition#instance()}, so a new counter shows here without code here), the
 * outputs as a table (one row per output, keyed by its name, its numbers from {@link
 * MetricDefinition#output()}), the servers as a table (one row per server, its numbers from {@link
 * MetricDefinition#server()}), and {@code health()} as attributes. Open types only (Long, Integer, Double, String, Boolean, a
 * TabularData), so jconsole, VisualVM and JMX exporters read it without Tributary's classes.
 *
 * <p>Thread safe: each read takes a fresh snapshot; nothing is cached.
 */
public final class TributaryMBean implements DynamicMBean {

  private final String name;
  private final Supplier<TributaryMetrics> metrics;
  private final Supplier<Health> health;
  private final Map<String, Attr> attributes = new LinkedHashMap<>();
  private final CompositeType outputRow;
  private final TabularType outputTable;
  private final CompositeType serverRow;
  private final TabularType serverTable;
  private final MBeanInfo info;

  /** One attribute: its type, description, and how to read it from a snapshot and a health view. */
  private record Attr(OpenType<?> type, String description, Function<Snapshot, Object> read) {}

  /** What one read sees; health only when an attribute needs it. */
  private final class Snapshot {
    private TributaryMetrics m;
    private Health h;

    TributaryMetrics metrics() {
      if (m == null) {
        m = metrics.get();
      }
      return m;
    }

    Health health() {
      if (h == null) {
        h = health.get();
      }
      return h;
    }
  }

  public TributaryMBean(String name, Supplier<TributaryMetrics> metrics, Supplier<Health> health) {
    this.name = name;
    this.metrics = metrics;
    this.health = health;
    try {
      List<String> outputItems = new ArrayList<>(List.of("output", "type"));
      List<OpenType<?>> outputTypes = new ArrayList<>(List.of(SimpleType.STRING, SimpleType.STRING));
      for (MetricDefinition<OutputMetrics> d : MetricDefinition.output()) {
        outputItems.add(d.attribute());
        outputTypes.add(SimpleType.LONG);
      }
      outputItems.add("droppedTotal");
      outputTypes.add(SimpleType.LONG);
      outputItems.add("failedTotal");
      outputTypes.add(SimpleType.LONG);
      String[] outputNames = outputItems.toArray(new String[0]);
      this.outputRow = new CompositeType("dev.tributary.OutputMetrics", "one output", outputNames, outputNames,
          outputTypes.toArray(new OpenType<?>[0]));
      this.outputTable = new TabularType("dev.tributary.Outputs", "the outputs, in declaration order", outputRow,
          new String[] {"output"});

      List<String> items = new ArrayList<>(List.of("output", "server", "weight", "standby", "connected", "healthy"));
      List<OpenType<?>> types = new ArrayList<>(List.of(SimpleType.STRING, SimpleType.STRING, SimpleType.INTEGER,
          SimpleType.BOOLEAN, SimpleType.BOOLEAN, SimpleType.BOOLEAN));
      for (MetricDefinition<ServerMetrics> d : MetricDefinition.server()) {
        if (d.kind() == MetricDefinition.Kind.COUNTER) {
          items.add(d.attribute());
          types.add(SimpleType.LONG);
        }
      }
      items.add("lastError");
      types.add(SimpleType.STRING);
      items.add("lastErrorTime");
      types.add(SimpleType.STRING);
      String[] names = items.toArray(new String[0]);
      this.serverRow = new CompositeType("dev.tributary.ServerMetrics", "one configured server", names, names,
          types.toArray(new OpenType<?>[0]));
      this.serverTable = new TabularType("dev.tributary.Servers", "the configured servers, in order", serverRow,
          new String[] {"output", "server"});
    } catch (OpenDataException e) {
      throw new IllegalStateException(e);
    }

    attr("Name", SimpleType.STRING, "the instance's name", s -> name);
    for (MetricDefinition<TributaryMetrics> d : MetricDefinition.instance()) {
      attr(d.attribute(), SimpleType.LONG, d.description(), s -> d.valueOf(s.metrics()));
    }
    attr("DroppedTotal", SimpleType.LONG, "events dropped, every reason", s -> s.metrics().droppedTotal());
    attr("FailedTotal", SimpleType.LONG, "accepted events given up, every reason", s -> s.metrics().failedTotal());
    attr("Outputs", outputTable, "each output: its type and its own counters of the copies of events routed to it",
        s -> outputs(s.metrics()));
    attr("Servers", serverTable, "each configured server: connection, health, chunk counts, last error",
        s -> servers(s.metrics()));
    attr("HealthState", SimpleType.STRING, "UP, DEGRADED or DOWN", s -> s.health().state().name());
    attr("HealthReason", SimpleType.STRING, "why the health state is what it is", s -> s.health().reason());
    attr("ConnectedServers", SimpleType.INTEGER, "servers with a connection open now",
        s -> s.health().connectedServers());
    attr("LastError", SimpleType.STRING, "the latest error of any server, or null",
        s -> s.health().lastError().orElse(null));
    attr("LastErrorTime", SimpleType.STRING, "when LastError happened (ISO-8601), or null",
        s -> s.health().lastErrorTime().map(Object::toString).orElse(null));
    attr("BufferFill", SimpleType.DOUBLE, "share of the byte budget held, 0.0 to 1.0", s -> s.health().bufferFill());
    attr("BufferMaxBytes", SimpleType.LONG, "the byte budget", s -> s.health().bufferMaxBytes());

    List<OpenMBeanAttributeInfoSupport> infos = new ArrayList<>();
    for (Map.Entry<String, Attr> e : attributes.entrySet()) {
      infos.add(new OpenMBeanAttributeInfoSupport(e.getKey(), e.getValue().description(), e.getValue().type(),
          true, false, false));
    }
    this.info = new OpenMBeanInfoSupport(TributaryMBean.class.getName(),
        "Tributary instance " + name + ": counters, outputs, servers and health",
        infos.toArray(new OpenMBeanAttributeInfoSupport[0]), new OpenMBeanConstructorInfoSupport[0],
        new OpenMBeanOperationInfoSupport[0], new MBeanNotificationInfo[0]);
  }

  private void attr(String attribute, OpenType<?> type, String description, Function<Snapshot, Object> read) {
    if (attributes.put(attribute, new Attr(type, description, read)) != null) {
      throw new IllegalStateException("two attributes named " + attribute);
    }
  }

  private TabularDataSupport outputs(TributaryMetrics m) {
    TabularDataSupport table = new TabularDataSupport(outputTable);
    for (OutputMetrics o : m.outputs()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("output", o.name());
      row.put("type", o.type());
      for (MetricDefinition<OutputMetrics> d : MetricDefinition.output()) {
        row.put(d.attribute(), d.valueOf(o));
      }
      row.put("droppedTotal", o.droppedTotal());
      row.put("failedTotal", o.failedTotal());
      try {
        table.put(new CompositeDataSupport(outputRow, row));
      } catch (OpenDataException e) {
        throw new IllegalStateException(e);
      }
    }
    return table;
  }

  private TabularDataSupport servers(TributaryMetrics m) {
    TabularDataSupport table = new TabularDataSupport(serverTable);
    for (OutputMetrics o : m.outputs()) {
      for (ServerMetrics s : o.servers()) {
        table.put(serverRow(o.name(), s));
      }
    }
    return table;
  }

  private CompositeDataSupport serverRow(String output, ServerMetrics s) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("output", output);
    row.put("server", s.server());
    row.put("weight", s.weight());
    row.put("standby", s.standby());
    row.put("connected", s.connected());
    row.put("healthy", s.healthy());
    for (MetricDefinition<ServerMetrics> d : MetricDefinition.server()) {
      if (d.kind() == MetricDefinition.Kind.COUNTER) {
        row.put(d.attribute(), d.valueOf(s));
      }
    }
    row.put("lastError", s.lastError().orElse(null));
    row.put("lastErrorTime", s.lastErrorTime().map(Object::toString).orElse(null));
    try {
      return new CompositeDataSupport(serverRow, row);
    } catch (OpenDataException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The instance name this MBean reports. */
  public String name() {
    return name;
  }

  @Override
  public Object getAttribute(String attribute) throws AttributeNotFoundException {
    Attr a = attributes.get(attribute);
    if (a == null) {
      throw new AttributeNotFoundException("no attribute " + attribute + "; there are " + attributes.keySet());
    }
    return a.read().apply(new Snapshot());
  }

  @Override
  public AttributeList getAttributes(String[] names) {
    Snapshot s = new Snapshot(); // one snapshot, so the numbers read together add up
    AttributeList list = new AttributeList();
    for (String n : names) {
      Attr a = attributes.get(n);
      if (a != null) {
        list.add(new Attribute(n, a.read().apply(s)));
      }
    }
    return list;
  }

  @Override
  public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
    throw new AttributeNotFoundException("every attribute is read-only: " + attribute.getName());
  }

  @Override
  public AttributeList setAttributes(AttributeList attributes) {
    return new AttributeList();
  }

  @Override
  public Object invoke(String actionName, Object[] params, String[] signature) {
    throw new UnsupportedOperationException("no operations: " + actionName);
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    return info;
  }
}
