package dev.tributary.jul;

import dev.tributary.TributaryMetrics;
import dev.tributary.logging.Diagnostics;
import dev.tributary.logging.LogAdapterConfig;
import dev.tributary.logging.LogForwarder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.ErrorManager;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * A java.util.logging handler that sends each record to Fluentd / Fluent Bit over the forward
 * protocol, as one structured record (see {@link dev.tributary.logging.LogEventMapping}).
 *
 * <p>Configured in logging.properties under its class name, with the same option names as {@code
 * Tributary.builder()}; values may use {@code ${sys:name}}, {@code ${env:name}} or {@code ${name}}
 * (system property, then environment), with {@code ${name:-default}}:
 *
 * <pre>{@code
 * handlers = dev.tributary.jul.TributaryHandler
 * dev.tributary.jul.TributaryHandler.servers = agg1:24224,agg2:24224
 * dev.tributary.jul.TributaryHandler.tag = app.{logger}
 * dev.tributary.jul.TributaryHandler.serviceName = checkout
 * dev.tributary.jul.TributaryHandler.level = INFO
 * }</pre>
 *
 * <p>Also {@code .level} and {@code .filter}, as for every handler, and {@code .errorManager}.
 * Tributary's own reports go to the handler's {@link ErrorManager}: a bad configuration (naming
 * every bad option; the handler stays closed, records are ignored and the application's other
 * handlers keep logging), a failed connection (at most once per {@code reportInterval}), loss
 * summaries and the loss at close. The handler's own ErrorManager prints every report to standard
 * error, where the JDK's default prints only the first; {@code .errorManager} names another
 * ErrorManager class to use instead ({@code java.util.logging.ErrorManager} for the JDK's, or your
 * own to silence or route them), as does {@link #setErrorManager} in code. An unknown key is reported and ignored. {@link
 * #publish} never throws and never waits on the network. {@link #close()} drains within {@code
 * closeTimeout}; {@code LogManager.reset()}, which JUL runs in its own shutdown hook, calls it, so
 * what is buffered is delivered at JVM exit with no extra setup. Several handlers need distinct
 * classes: subclass it ({@code class AuditHandler extends TributaryHandler {}}) and configure
 * {@code com.example.AuditHandler.*}.
 *
 * <p>Thread safe. Owns one Tributary instance (threads {@code tributary-*-<name>}), started by the
 * constructor and closed by {@code close()}.
 */
public class TributaryHandler extends Handler {

  /** The Tributary instance name when no {@code name} option is set. */
  public static final String DEFAULT_NAME = "jul";

  private static final Set<String> HANDLER_KEYS = Set.of("level", "filter", "formatter", "encoding", "errorManager");

  private final Diagnostics diagnostics = new Diagnostics() {
    @Override
    public void warn(String message, Throwable cause) {
      reportError(message, asException(cause), ErrorManager.GENERIC_FAILURE);
    }

    @Override
    public void error(String message, Throwable cause) {
      reportError(message, asException(cause), ErrorManager.WRITE_FAILURE);
    }
  };
  private volatile LogForwarder<LogRecord> forwarder;
  private volatile boolean closed;

  /** Configured from the LogManager's properties under this class's name; what LogManager calls. */
  public TributaryHandler() {
    String prefix = getClass().getName() + ".";
    LogManager manager = LogManager.getLogManager();
    LogAdapterConfig config = new LogAdapterConfig();
    List<String> problems = new ArrayList<>();
    for (String option : LogAdapterConfig.OPTIONS) {
      String value = manager.getProperty(prefix + option);
      if (value != null) {
        setOption(config, option, value, problems);
      }
    }
    configureHandler(manager.getProperty(prefix + "level"), manager.getProperty(prefix + "filter"),
        manager.getProperty(prefix + "errorManager"), problems);
    start(config, problems, unknownKeys(prefix));
  }

  /**
   * Configured from {@code options}, by the names logging.properties uses without the prefix
   * ({@code servers}, {@code tag}, ..., {@code level}, {@code filter}, {@code errorManager}). Here an unknown name is a
   * configuration error (a typo in code), not a key to report and skip as in logging.properties.
   */
  public TributaryHandler(Map<String, String> options) {
    this(options, List.of());
  }

  /**
   * As {@link #TributaryHandler(Map)}, with {@link dev.tributary.Filter}s that every record passes
   * before it is encoded, in order.
   */
  public TributaryHandler(Map<String, String> options, List<dev.tributary.Filter> filters) {
    LogAdapterConfig config = new LogAdapterConfig();
    List<String> problems = new ArrayList<>();
    for (dev.tributary.Filter f : filters) {
      try {
        config.addFilter(f);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (HANDLER_KEYS.contains(e.getKey())) {
        continue;
      }
      if (!LogAdapterConfig.isOption(e.getKey())) {
        problems.add("unknown option \"" + e.getKey() + "\"; known options: " + LogAdapterConfig.OPTIONS);
        continue;
      }
      setOption(config, e.getKey(), e.getValue(), problems);
    }
    configureHandler(options.get("level"), options.get("filter"), options.get("errorManager"), problems);
    start(config, problems, List.of());
  }

  private static void setOption(LogAdapterConfig config, String option, String raw, List<String> problems) {
    try {
      config.set(option, Placeholders.resolve(option, raw));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  private void configureHandler(String level, String filter, String errorManager, List<String> problems) {
    setErrorManager(new StderrErrorManager());
    if (errorManager != null && !errorManager.isBlank()) {
      try {
        Class<?> type = ClassLoader.getSystemClassLoader().loadClass(errorManager.trim());
        setErrorManager((ErrorManager) type.getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
        problems.add("errorManager must name a java.util.logging.ErrorManager class with a public no-argument"
            + " constructor, was \"" + errorManager + "\" (" + e + ")");
      }
    }
    setLevel(Level.ALL);
    if (level != null) {
      try {
        setLevel(Level.parse(level.trim()));
      } catch (IllegalArgumentException e) {
        problems.add("level must be a JUL level name or number, was \"" + level + "\"");
      }
    }
    if (filter != null && !filter.isBlank()) {
      try {
        Class<?> type = ClassLoader.getSystemClassLoader().loadClass(filter.trim());
        setFilter((Filter) type.getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
        problems.add("filter must name a java.util.logging.Filter class with a public no-argument constructor, was \""
            + filter + "\" (" + e + ")");
      }
    }
  }

  /**
   * Starts, or reports why not. One report only: JUL's default ErrorManager prints the first
   * report and drops the rest, so every problem goes into the one message.
   */
  private void start(LogAdapterConfig config, List<String> problems, List<String> unknownKeys) {
    String unknown = unknownKeys.isEmpty() ? null : "unknown option" + (unknownKeys.size() > 1 ? "s " : " ")
        + unknownKeys + " ignored; known options: " + LogAdapterConfig.OPTIONS;
    try {
      if (problems.isEmpty()) {
        forwarder = config.start(DEFAULT_NAME, JulAccessor.INSTANCE, diagnostics);
        if (unknown != null) {
          reportError("Tributary handler: " + unknown, null, ErrorManager.GENERIC_FAILURE);
        }
        return;
      }
      config.check(DEFAULT_NAME); // so the report names the other options' problems too
    } catch (IllegalArgumentException | IllegalStateException e) {
      problems.add(e.getMessage());
    }
    if (unknown != null) {
      problems.add(unknown);
    }
    reportError("Tributary handler not started: " + String.join("; ", problems), null, ErrorManager.OPEN_FAILURE);
  }

  /** Encodes the record on the calling thread; ignored when closed, not loggable, or badly configured. */
  @Override
  public void publish(LogRecord record) {
    LogForwarder<LogRecord> f = forwarder;
    if (f != null && !closed && isLoggable(record)) {
      f.append(record);
    }
  }

  /** Seals what is buffered so it is sent now; returns at once. */
  @Override
  public void flush() {
    LogForwarder<LogRecord> f = forwarder;
    if (f != null && !closed) {
      f.flush();
    }
  }

  /** Drains within {@code closeTimeout}, reports loss to the ErrorManager, and stops. Idempotent. */
  @Override
  public void close() {
    LogForwarder<LogRecord> f = forwarder;
    closed = true;
    if (f != null) {
      f.stop();
    }
  }

  /** The forwarder, still readable after {@link #close()}; {@code null} if the handler never started. */
  public LogForwarder<LogRecord> forwarder() {
    return forwarder;
  }

  /**
   * Every record handed to Tributary, accounted for: delivered, buffered, dropped or failed, by
   * reason. Readable after {@link #close()}; {@code null} if the handler never started.
   */
  public TributaryMetrics metrics() {
    LogForwarder<LogRecord> f = forwarder;
    return f == null ? null : f.tributary().metrics();
  }

  /**
   * The handler's ErrorManager unless configured otherwise: every report to standard error as one
   * line (Tributary's reports are rate limited already), where the JDK's default prints only the
   * first report of a handler's life. Never through a logger.
   */
  static final class StderrErrorManager extends ErrorManager {
    @Override
    public void error(String msg, Exception ex, int code) {
      System.err.println(TributaryHandler.class.getName() + ": " + msg + (ex != null ? " - " + ex : ""));
    }
  }

  private static Exception asException(Throwable t) {
    return t == null || t instanceof Exception ? (Exception) t : new Exception(t);
  }

  /**
   * Keys under {@code prefix} that are not options, read from the file LogManager read
   * ({@code java.util.logging.config.file}); LogManager itself cannot list its keys.
   */
  private static List<String> unknownKeys(String prefix) {
    List<String> unknown = new ArrayList<>();
    String file = System.getProperty("java.util.logging.config.file");
    if (file == null) {
      return unknown;
    }
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      props.load(in);
    } catch (IOException | RuntimeException e) {
      return unknown;
    }
    for (String key : props.stringPropertyNames()) {
      if (key.startsWith(prefix)) {
        String option = key.substring(prefix.length());
        if (!LogAdapterConfig.isOption(option) && !HANDLER_KEYS.contains(option)) {
          unknown.add(option);
        }
      }
    }
    unknown.sort(null);
    return unknown;
  }
}
