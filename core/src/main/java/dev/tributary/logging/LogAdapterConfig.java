package dev.tributary.logging;

import dev.tributary.ConfigValues;
import dev.tributary.Filter;
import dev.tributary.OverflowPolicy;
import dev.tributary.Tributary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An adapter's configuration as the framework's configuration file gives it: text values under
 * the same option names as {@link Tributary.Builder} and {@link LogEventMapping.Builder}, plus
 * {@code tag}. The adapters collect the values (logback bean properties, log4j2 attributes,
 * logging.properties keys) and call {@link #start}, which checks everything together and names
 * every problem at once.
 *
 * <p>Not thread safe: filled and started by the framework's configuration thread.
 *
 * <pre>{@code
 * LogAdapterConfig config = new LogAdapterConfig()
 *     .set("servers", "agg1:24224,agg2:24224")
 *     .set("tag", "app.{logger}")
 *     .set("flushInterval", "500ms");
 * LogForwarder<MyEvent> forwarder = config.start("FLUENT", ACCESSOR, diagnostics);
 * }</pre>
 */
public final class LogAdapterConfig {

  /** The tag when none is configured. */
  public static final String DEFAULT_TAG = "app";

  /** Every option an adapter accepts: {@code tag}, the Tributary options and the mapping options. */
  public static final List<String> OPTIONS;

  static {
    List<String> all = new ArrayList<>();
    all.add("tag");
    all.addAll(Tributary.Builder.OPTIONS); // includes server, a repeatable single host:port
    all.addAll(LogEventMapping.OPTIONS);
    OPTIONS = Collections.unmodifiableList(all);
  }

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> servers = new ArrayList<>();
  private final List<Filter> filters = new ArrayList<>();

  /** Whether {@code name} is an option adapters accept. */
  public static boolean isOption(String name) {
    return OPTIONS.contains(name);
  }

  /**
   * Records an option; {@code null} removes it. Values are checked by {@link #start}.
   *
   * @throws IllegalArgumentException for an unknown option name, listing the known ones
   */
  public LogAdapterConfig set(String name, String value) {
    if (!isOption(name)) {
      throw new IllegalArgumentException("unknown option \"" + name + "\"; known options: " + OPTIONS);
    }
    if (name.equals("server")) {
      return addServer(value);
    }
    if (value == null) {
      values.remove(name);
    } else {
      values.put(name, value);
    }
    return this;
  }

  /** Adds servers ({@code host:port}, or a comma-separated list of them). */
  public LogAdapterConfig addServer(String hostPort) {
    servers.add(hostPort);
    return this;
  }

  /**
   * Adds a filter that every record passes before it is encoded ({@link
   * Tributary.Builder#filter}), after the ones added before; set in code, for now.
   */
  public LogAdapterConfig addFilter(Filter filter) {
    if (filter == null) {
      throw new IllegalArgumentException("filter must not be null");
    }
    filters.add(filter);
    return this;
  }

  /** The value recorded for {@code name}, or {@code null}. */
  public String get(String name) {
    return values.get(name);
  }

  /** Every recorded option and server, in a stable text form (log4j2 keys its managers by it). */
  public String describe() {
    if (filters.isEmpty()) {
      return values + " servers=" + servers;
    }
    StringBuilder f = new StringBuilder();
    for (Filter filter : filters) {
      f.append(f.length() > 0 ? ", " : "").append(filter).append('@').append(Integer.toHexString(System.identityHashCode(filter)));
    }
    return values + " servers=" + servers + " filters=[" + f + "]";
  }

  /**
   * Checks every option without starting anything.
   *
   * @throws IllegalArgumentException naming every bad or missing option, separated by {@code "; "}
   */
  public void check(String defaultName) {
    prepare(defaultName);
  }

  /**
   * Checks the options and starts a {@link Tributary} whose diagnostics go to {@code diagnostics}.
   *
   * @param defaultName the instance name when no {@code name} option is set (the appender's name;
   *     characters Tributary does not allow in names become {@code _})
   * @throws IllegalArgumentException naming every bad or missing option
   */
  public <E> LogForwarder<E> start(String defaultName, LogEventAccessor<E> accessor, Diagnostics diagnostics) {
    Prepared p = prepare(defaultName);
    p.builder.listener(new DiagnosticsListener(p.name, diagnostics, p.reportInterval));
    Tributary tributary = p.builder.build();
    return new LogForwarder<>(p.name, tributary, p.tag, p.mapping, accessor, diagnostics, p.closeTimeout,
        p.reportInterval);
  }

  private static final class Prepared {
    String name;
    Tributary.Builder builder;
    LogEventMapping mapping;
    TagPattern tag;
    Duration closeTimeout = Tributary.Builder.DEFAULT_CLOSE_TIMEOUT;
    Duration reportInterval = Tributary.Builder.DEFAULT_REPORT_INTERVAL;
  }

  private Prepared prepare(String defaultName) {
    List<String> problems = new ArrayList<>();
    Prepared p = new Prepared();
    p.builder = Tributary.builder();
    LogEventMapping.Builder mapping = LogEventMapping.builder();
    p.name = values.containsKey("name") ? values.get("name") : instanceName(defaultName);
    apply(problems, () -> p.builder.name(p.name));
    // the file first, so that options written beside it override what it says
    boolean fromFile = values.containsKey("config");
    if (fromFile) {
      apply(problems, () -> p.builder.config(values.get("config")));
    }
    p.builder.filter(filters.toArray(new Filter[0]));
    for (Map.Entry<String, String> e : values.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      if (k.equals("tag") || k.equals("name") || k.equals("config")) {
        continue;
      }
      if (LogEventMapping.OPTIONS.contains(k)) {
        apply(problems, () -> mapping.option(k, v));
      } else if (!k.equals("servers")) {
        apply(problems, () -> p.builder.option(k, v));
      }
    }
    List<String> lists = new ArrayList<>();
    if (values.containsKey("servers")) {
      lists.add(values.get("servers"));
    }
    lists.addAll(servers);
    for (String list : lists) {
      apply(problems, () -> p.builder.servers(list));
    }
    if (lists.isEmpty() && !fromFile) {
      problems.add("servers is required: give at least one host:port (for example servers=127.0.0.1:24224)");
    }
    if (p.builder.overflowPolicy() == OverflowPolicy.THROW) {
      problems.add("overflowPolicy THROW is not allowed in a logging adapter, which never throws into the"
          + " application; use BLOCK, DROP_NEWEST or DROP_OLDEST");
    }
    apply(problems, () -> p.mapping = mapping.build());
    apply(problems, () -> p.tag = TagPattern.parse(values.getOrDefault("tag", DEFAULT_TAG)));
    if (values.containsKey("closeTimeout")) {
      apply(problems, () -> p.closeTimeout = ConfigValues.duration("closeTimeout", values.get("closeTimeout")));
    }
    if (values.containsKey("reportInterval")) {
      apply(problems, () -> p.reportInterval = ConfigValues.duration("reportInterval", values.get("reportInterval")));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return p;
  }

  private static void apply(List<String> problems, Runnable step) {
    try {
      step.run();
    } catch (IllegalArgumentException | ArithmeticException e) {
      String m = e.getMessage();
      if (!problems.contains(m)) {
        problems.add(m);
      }
    }
  }

  /** The appender's name as a Tributary instance name: letters, digits, '.', '_', '-'. */
  static String instanceName(String appenderName) {
    if (appenderName == null || appenderName.isBlank()) {
      return Tributary.Builder.DEFAULT_NAME;
    }
    return appenderName.trim().replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
