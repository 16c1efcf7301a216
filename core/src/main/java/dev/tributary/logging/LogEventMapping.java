package dev.tributary.logging;

import dev.tributary.ConfigValues;
import dev.tributary.internal.filter.KubernetesMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a log event becomes a Fluentd record: the field names, which optional fields are written,
 * the static fields, and the limits on stack traces. One mapping serves all three adapters, so a
 * log call yields the same record from logback, log4j2 or java.util.logging.
 *
 * <p>Record layout, in this order (defaults in parentheses): {@code message}, {@code level},
 * {@code original_level} (only when the framework's level name differs, e.g. JUL {@code SEVERE}),
 * {@code logger}, {@code thread}, {@code error} (a map: {@code class}, {@code message}, {@code
 * stack_trace}) when there is an exception, {@code markers} (array of names) when there are
 * markers, {@code caller_class}/{@code caller_method}/{@code caller_file}/{@code caller_line} when
 * {@code includeCallerData}, {@code host}, {@code service} when set, {@code kubernetes} when the
 * downward API variables are present, static fields; then the event's key/values (SLF4J 2
 * key-value pairs, log4j2 {@code MapMessage} entries, types kept) and MDC / ThreadContext entries,
 * at the top level unless {@code keyValuesField} / {@code mdcField} name a map to nest them in.
 * A field whose name is set to empty or {@code "-"} is left out ({@link LogField} lists the
 * options that rename fields). A key-value or MDC key that an earlier field already uses is
 * written with the prefix {@code kv_} or {@code mdc_}: nothing is overwritten, nothing lost.
 *
 * <p>Immutable and thread safe; built once per adapter at start-up.
 *
 * <pre>{@code
 * LogEventMapping mapping = LogEventMapping.builder()
 *     .option("serviceName", "checkout")
 *     .option("staticFields", "env=prod,region=eu-west-1")
 *     .fieldName(LogField.MESSAGE, "msg")
 *     .build();
 * }</pre>
 */
public final class LogEventMapping {

  /** Caller data costs a stack walk per event in logback and log4j2; off by default. */
  public static final boolean DEFAULT_INCLUDE_CALLER_DATA = false;
  public static final boolean DEFAULT_INCLUDE_HOST_NAME = true;
  public static final boolean DEFAULT_INCLUDE_MDC = true;
  public static final boolean DEFAULT_INCLUDE_KEY_VALUES = true;
  public static final boolean DEFAULT_INCLUDE_MARKERS = true;
  /** Written only when {@code POD_NAME} or {@code POD_NAMESPACE} is set, so on by default. */
  public static final boolean DEFAULT_INCLUDE_KUBERNETES = true;
  /** Frames per throwable; 0 keeps them all. Depth is rarely the problem, length is. */
  public static final int DEFAULT_MAX_STACK_TRACE_DEPTH = 0;
  /**
   * Characters of the whole stack trace string: 64 Ki keeps a deep Spring trace with causes and
   * keeps an event well inside a chunk ({@code chunkMaxBytes}, 1 MiB), which would otherwise drop
   * it as too large.
   */
  public static final int DEFAULT_MAX_STACK_TRACE_LENGTH = 65_536;

  /** The field name that leaves a field out, where a configuration file cannot give an empty one. */
  public static final String OMIT = "-";

  /** Prefix for a key-value key that an earlier field already uses. */
  public static final String KEY_VALUE_PREFIX = "kv_";
  /** Prefix for an MDC / ThreadContext key that an earlier field already uses. */
  public static final String MDC_PREFIX = "mdc_";

  /** The names {@link Builder#option(String, String)} knows. */
  public static final List<String> OPTIONS;

  static {
    List<String> names = new ArrayList<>();
    for (LogField f : LogField.values()) {
      names.add(f.option());
    }
    names.addAll(List.of("mdcField", "keyValuesField", "includeCallerData", "includeHostName", "hostName",
        "serviceName", "staticFields", "includeMdc", "includeKeyValues", "includeMarkers",
        "includeKubernetes", "maxStackTraceDepth", "maxStackTraceLength"));
    OPTIONS = List.copyOf(names);
  }

  private final EnumMap<LogField, String> names;
  private final boolean includeCallerData;
  private final boolean includeMdc;
  private final boolean includeKeyValues;
  private final boolean includeMarkers;
  private final String mdcField;
  private final String keyValuesField;
  private final int maxStackTraceDepth;
  private final int maxStackTraceLength;
  /** host, service, kubernetes and the static fields, in record order, resolved once. */
  private final Map<String, Object> constantFields;
  private final Set<String> reserved;

  private LogEventMapping(Builder b, Map<String, Object> constantFields, Set<String> reserved) {
    this.names = new EnumMap<>(b.names);
    this.includeCallerData = b.includeCallerData;
    this.includeMdc = b.includeMdc;
    this.includeKeyValues = b.includeKeyValues;
    this.includeMarkers = b.includeMarkers;
    this.mdcField = b.mdcField;
    this.keyValuesField = b.keyValuesField;
    this.maxStackTraceDepth = b.maxStackTraceDepth;
    this.maxStackTraceLength = b.maxStackTraceLength;
    this.constantFields = Collections.unmodifiableMap(constantFields);
    this.reserved = Collections.unmodifiableSet(reserved);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The name of {@code field}, or {@code null} when it is left out. */
  public String name(LogField field) {
    return names.get(field);
  }

  /** Whether caller class/method/file/line are written (adapters ask the framework to capture them). */
  public boolean includeCallerData() {
    return includeCallerData;
  }

  public boolean includeMdc() {
    return includeMdc;
  }

  public boolean includeKeyValues() {
    return includeKeyValues;
  }

  public boolean includeMarkers() {
    return includeMarkers;
  }

  /** The map MDC entries are nested in, or {@code null} for the top level. */
  public String mdcField() {
    return mdcField;
  }

  /** The map key/values are nested in, or {@code null} for the top level. */
  public String keyValuesField() {
    return keyValuesField;
  }

  /** Host, service, Kubernetes identity and static fields, as every record carries them. */
  public Map<String, Object> constantFields() {
    return constantFields;
  }

  /** Every top-level key the mapping itself may write; event keys that match get a prefix. */
  public Set<String> reservedKeys() {
    return reserved;
  }

  /** The {@code error} field's value for {@code t}: class, message (when there is one), stack trace. */
  public Map<String, Object> errorValue(Throwable t) {
    Map<String, Object> error = new LinkedHashMap<>(4);
    putIfNamed(error, LogField.ERROR_CLASS, StackTraces.className(t));
    String message;
    try {
      message = t.getMessage();
    } catch (RuntimeException e) {
      message = null;
    }
    if (message != null) {
      putIfNamed(error, LogField.ERROR_MESSAGE, message);
    }
    putIfNamed(error, LogField.ERROR_STACK_TRACE, StackTraces.format(t, maxStackTraceDepth, maxStackTraceLength));
    return error;
  }

  private void putIfNamed(Map<String, Object> m, LogField f, Object value) {
    String n = names.get(f);
    if (n != null) {
      m.put(n, value);
    }
  }

  /**
   * Options of a {@link LogEventMapping}. Setters check their value at once and name the option
   * in their {@link IllegalArgumentException}; {@link #build()} checks that names are distinct.
   * Not thread safe.
   */
  public static final class Builder {

    private final EnumMap<LogField, String> names = new EnumMap<>(LogField.class);
    private boolean includeCallerData = DEFAULT_INCLUDE_CALLER_DATA;
    private boolean includeHostName = DEFAULT_INCLUDE_HOST_NAME;
    private boolean includeMdc = DEFAULT_INCLUDE_MDC;
    private boolean includeKeyValues = DEFAULT_INCLUDE_KEY_VALUES;
    private boolean includeMarkers = DEFAULT_INCLUDE_MARKERS;
    private boolean includeKubernetes = DEFAULT_INCLUDE_KUBERNETES;
    private String hostName;
    private String serviceName;
    private String mdcField;
    private String keyValuesField;
    private final Map<String, String> staticFields = new LinkedHashMap<>();
    private int maxStackTraceDepth = DEFAULT_MAX_STACK_TRACE_DEPTH;
    private int maxStackTraceLength = DEFAULT_MAX_STACK_TRACE_LENGTH;
    private Function<String, String> environment = System::getenv;

    private Builder() {
      for (LogField f : LogField.values()) {
        names.put(f, f.defaultName());
      }
    }

    /**
     * Renames {@code field}; {@code null}, empty or {@code "-"} leaves it out of the record (logback
     * ignores empty elements, so {@code <threadField>-</threadField>}).
     */
    public Builder fieldName(LogField field, String name) {
      if (field == null) {
        throw new IllegalArgumentException("field must not be null");
      }
      String n = blankToNull(name);
      names.put(field, n == null || n.equals(OMIT) ? null : n);
      return this;
    }

    /** Writes the caller's class, method, file and line (a stack walk per event). Default false. */
    public Builder includeCallerData(boolean include) {
      this.includeCallerData = include;
      return this;
    }

    /** Writes the host name (resolved once, at start-up). Default true. */
    public Builder includeHostName(boolean include) {
      this.includeHostName = include;
      return this;
    }

    /** The host name to write instead of the resolved one. */
    public Builder hostName(String hostName) {
      this.hostName = blankToNull(hostName);
      return this;
    }

    /** The service name, written as {@code service}; not written when unset. */
    public Builder serviceName(String serviceName) {
      this.serviceName = blankToNull(serviceName);
      return this;
    }

    /** Adds a field every record carries. */
    public Builder staticField(String key, String value) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("staticFields key must not be empty");
      }
      if (value == null) {
        throw new IllegalArgumentException("staticFields value of " + key + " must not be null");
      }
      staticFields.put(key.trim(), value);
      return this;
    }

    /** Adds static fields from {@code key=value,key=value} (values keep inner spaces, not commas). */
    public Builder staticFields(String list) {
      if (list == null || list.isBlank()) {
        return this;
      }
      for (String part : list.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        int eq = part.indexOf('=');
        if (eq <= 0 || part.substring(0, eq).isBlank()) {
          throw new IllegalArgumentException("staticFields entry must be key=value, was \"" + part.trim() + "\"");
        }
        staticField(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
      return this;
    }

    /** Writes MDC / ThreadContext entries. Default true. */
    public Builder includeMdc(boolean include) {
      this.includeMdc = include;
      return this;
    }

    /** Writes SLF4J 2 key-value pairs and log4j2 MapMessage entries. Default true. */
    public Builder includeKeyValues(boolean include) {
      this.includeKeyValues = include;
      return this;
    }

    /** Writes marker names. Default true. */
    public Builder includeMarkers(boolean include) {
      this.includeMarkers = include;
      return this;
    }

    /** Writes the pod's identity from the downward API variables when present. Default true. */
    public Builder includeKubernetes(boolean include) {
      this.includeKubernetes = include;
      return this;
    }

    /** Nests MDC entries in a map of this name; {@code null} or empty: top level (the default). */
    public Builder mdcField(String name) {
      this.mdcField = blankToNull(name);
      return this;
    }

    /** Nests key/values in a map of this name; {@code null} or empty: top level (the default). */
    public Builder keyValuesField(String name) {
      this.keyValuesField = blankToNull(name);
      return this;
    }

    /** Most frames per throwable; 0 for all. Default 0. */
    public Builder maxStackTraceDepth(int depth) {
      if (depth < 0) {
        throw new IllegalArgumentException("maxStackTraceDepth must be >= 0, was " + depth);
      }
      this.maxStackTraceDepth = depth;
      return this;
    }

    /** Most characters of the stack trace string; 0 for no limit. Default 65536. */
    public Builder maxStackTraceLength(int length) {
      if (length != 0 && length < 256) {
        throw new IllegalArgumentException("maxStackTraceLength must be 0 (no limit) or >= 256, was " + length);
      }
      this.maxStackTraceLength = length;
      return this;
    }

    /** Where the Kubernetes variables are read from; tests replace {@link System#getenv}. */
    Builder environment(Function<String, String> environment) {
      this.environment = environment;
      return this;
    }

    /**
     * Sets an option from text by its name in {@link #OPTIONS}, as configuration files give it.
     * A field-name option with an empty value leaves the field out.
     *
     * @throws IllegalArgumentException for an unknown option or a bad value, naming both
     */
    public Builder option(String name, String value) {
      if (name == null) {
        throw new IllegalArgumentException("option name must not be null");
      }
      for (LogField f : LogField.values()) {
        if (f.option().equals(name)) {
          return fieldName(f, value);
        }
      }
      switch (name) {
        case "mdcField": return mdcField(value);
        case "keyValuesField": return keyValuesField(value);
        case "includeCallerData": return includeCallerData(ConfigValues.bool(name, value));
        case "includeHostName": return includeHostName(ConfigValues.bool(name, value));
        case "hostName": return hostName(value);
        case "serviceName": return serviceName(value);
        case "staticFields": return staticFields(value);
        case "includeMdc": return includeMdc(ConfigValues.bool(name, value));
        case "includeKeyValues": return includeKeyValues(ConfigValues.bool(name, value));
        case "includeMarkers": return includeMarkers(ConfigValues.bool(name, value));
        case "includeKubernetes": return includeKubernetes(ConfigValues.bool(name, value));
        case "maxStackTraceDepth": return maxStackTraceDepth(ConfigValues.integer(name, value));
        case "maxStackTraceLength": return maxStackTraceLength(ConfigValues.integer(name, value));
        default:
          throw new IllegalArgumentException("unknown option \"" + name + "\"; known mapping options: " + OPTIONS);
      }
    }

    /**
     * Checks that no two top-level keys are the same and resolves host name and Kubernetes
     * identity (once: the host name lookup may be slow).
     *
     * @throws IllegalArgumentException naming the options whose names collide
     */
    public LogEventMapping build() {
      Map<String, String> owners = new HashMap<>();
      for (LogField f : LogField.values()) {
        if (!f.nested()) {
          claim(owners, names.get(f), f.option());
        }
      }
      Set<String> errorKeys = new HashSet<>();
      for (LogField f : List.of(LogField.ERROR_CLASS, LogField.ERROR_MESSAGE, LogField.ERROR_STACK_TRACE)) {
        String n = names.get(f);
        if (n != null && !errorKeys.add(n)) {
          throw new IllegalArgumentException(f.option() + " \"" + n + "\" is used twice inside the error field");
        }
      }
      claim(owners, mdcField, "mdcField");
      claim(owners, keyValuesField, "keyValuesField");
      for (String key : staticFields.keySet()) {
        claim(owners, key, "staticFields");
      }
      Map<String, Object> constants = new LinkedHashMap<>();
      if (includeHostName && names.get(LogField.HOST) != null) {
        constants.put(names.get(LogField.HOST), hostName != null ? hostName : LocalHost.name());
      }
      if (serviceName != null && names.get(LogField.SERVICE) != null) {
        constants.put(names.get(LogField.SERVICE), serviceName);
      }
      if (includeKubernetes && names.get(LogField.KUBERNETES) != null) {
        Map<String, String> k8s = KubernetesMetadata.fromEnvironment(environment);
        if (!k8s.isEmpty()) {
          constants.put(names.get(LogField.KUBERNETES), k8s);
        }
      }
      constants.putAll(staticFields);
      return new LogEventMapping(this, constants, new HashSet<>(owners.keySet()));
    }

    private static void claim(Map<String, String> owners, String key, String option) {
      if (key == null) {
        return;
      }
      String previous = owners.putIfAbsent(key, option);
      if (previous != null) {
        throw new IllegalArgumentException(option + " and " + previous + " both name the field \"" + key
            + "\"; every field needs its own name");
      }
    }

    private static String blankToNull(String value) {
      return value == null || value.isBlank() ? null : value.trim();
    }
  }
}
