package dev.tributary.log4j;

import dev.tributary.logging.LogAdapterConfig;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.config.plugins.PluginElement;

/**
 * A log4j2 appender that sends each event to Fluentd / Fluent Bit over the forward protocol, as
 * one structured record (see {@link dev.tributary.logging.LogEventMapping} for the fields).
 *
 * <p>Configured in log4j2.xml as the {@code Tributary} plugin; every attribute has the name of the
 * {@code Tributary.builder()} option it sets, and aggregators are {@code servers="h:p,h:p"} or
 * {@code <Server host=".." port=".."/>} elements. A bad configuration is reported through the
 * StatusLogger, naming every bad option, and no appender is created; the application keeps
 * logging to its other appenders. {@link #append} never throws: it encodes the event on the
 * calling thread (so a mutable, reused event never crosses a thread; the encoded bytes do) and
 * never waits on the network. {@link #stop(long, TimeUnit)} drains within its timeout (or {@code
 * closeTimeout}); log4j2's shutdown hook, on by default, does that at JVM exit.
 *
 * <pre>{@code
 * <Configuration>
 *   <Appenders>
 *     <Tributary name="FLUENT" tag="app.{logger}" serviceName="checkout" flushInterval="500ms">
 *       <Server host="agg1" port="24224"/>
 *       <Server host="agg2" port="24224"/>
 *     </Tributary>
 *   </Appenders>
 *   <Loggers><Root level="info"><AppenderRef ref="FLUENT"/></Root></Loggers>
 * </Configuration>
 * }</pre>
 *
 * <p>Thread safe. The Tributary instance (threads {@code tributary-*-<appender name>}) lives in a
 * {@link TributaryManager}, shared across reconfigurations that keep the options.
 */
@Plugin(name = "Tributary", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class TributaryAppender extends AbstractAppender {

  private final TributaryManager manager;

  private TributaryAppender(String name, Filter filter, boolean ignoreExceptions, Property[] properties,
      TributaryManager manager) {
    super(name, filter, null, ignoreExceptions, properties);
    this.manager = manager;
  }

  @PluginBuilderFactory
  public static <B extends Builder<B>> B newBuilder() {
    return new Builder<B>().asBuilder();
  }

  @Override
  public void append(LogEvent event) {
    manager.forwarder().append(event);
  }

  /** Asks log4j2 to capture the caller (also for async loggers) only when the mapping writes it. */
  @Override
  public boolean requiresLocation() {
    return manager.forwarder().mapping().includeCallerData();
  }

  @Override
  public boolean stop(long timeout, TimeUnit timeUnit) {
    setStopping();
    boolean stopped = super.stop(timeout, timeUnit, false);
    stopped &= manager.stop(timeout, timeUnit);
    setStopped();
    return stopped;
  }

  /** The forwarder this appender's manager runs; still readable after stop. */
  public dev.tributary.logging.LogForwarder<LogEvent> forwarder() {
    return manager.forwarder();
  }

  /**
   * Every event handed to Tributary, accounted for: delivered, buffered, dropped or failed, by
   * reason. Shared with any appender that reuses the same manager; readable after stop.
   */
  public dev.tributary.TributaryMetrics metrics() {
    return manager.forwarder().tributary().metrics();
  }

  /**
   * Builds a {@link TributaryAppender} from log4j2.xml attributes or code. Each attribute field
   * below is named exactly as the option it sets; {@link #build()} hands them all to the shared
   * {@link LogAdapterConfig}, which checks them together.
   */
  public static class Builder<B extends Builder<B>> extends AbstractAppender.Builder<B>
      implements org.apache.logging.log4j.core.util.Builder<TributaryAppender> {

    /** Code sets these by name, {@link #setOption}, rather than through fifty setters. */
    private static final String SET_BY_NAME = "log4j.public.setter";

    @PluginElement("Server")
    private Server[] serverElements;

    private final Map<String, String> options = new LinkedHashMap<>();
    private final java.util.List<dev.tributary.Filter> recordFilters = new java.util.ArrayList<>();

    // the tag and the servers
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tag;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String servers;

    // Tributary options, as in Tributary.Builder
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String requireAck;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String ackTimeout;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String connectTimeout;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String writeTimeout;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String bufferMaxBytes;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String bufferPath;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String fsync;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String fsyncInterval;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String fileBufferMaxBytes;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String chunkMaxBytes;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String chunkMaxRecords;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String maxRequestBytes;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String maxEventBytes;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String rejectedAttempts;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String heartbeatType;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String heartbeatInterval;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String phiThreshold;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String hardTimeout;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String recoverWait;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tls;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tlsCaFile;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tlsTrustStore;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tlsCertFile;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tlsKeyFile;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tlsKeyStore;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tlsMinVersion;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tlsMaxVersion;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String tlsInsecure;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String selfHostname;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String username;
    @PluginBuilderAttribute(sensitive = true) @SuppressWarnings(SET_BY_NAME) private String sharedKey;
    @PluginBuilderAttribute(sensitive = true) @SuppressWarnings(SET_BY_NAME) private String password;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String config;
    @PluginBuilderAttribute(sensitive = true) @SuppressWarnings(SET_BY_NAME) private String tlsTrustStorePassword;
    @PluginBuilderAttribute(sensitive = true) @SuppressWarnings(SET_BY_NAME) private String tlsKeyStorePassword;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String flushInterval;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String overflowPolicy;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String maxBlock;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String retryInitialBackoff;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String retryMaxBackoff;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String retryMaxAttempts;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String retryTimeout;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String maxInFlightChunks;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String closeTimeout;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String reportInterval;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String compression;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String timeAsInteger;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String legacyMsgpack;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String jmx;

    // record mapping options, as in LogEventMapping
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String includeCallerData;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String includeHostName;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String hostName;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String serviceName;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String staticFields;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String includeMdc;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String includeKeyValues;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String includeMarkers;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String includeKubernetes;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String maxStackTraceDepth;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String maxStackTraceLength;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String mdcField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String keyValuesField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String messageField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String levelField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String originalLevelField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String loggerField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String threadField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String errorField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String errorClassField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String errorMessageField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String errorStackTraceField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String markersField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String callerClassField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String callerMethodField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String callerFileField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String callerLineField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String hostField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String serviceField;
    @PluginBuilderAttribute @SuppressWarnings(SET_BY_NAME) private String kubernetesField;

    /** Sets any option by its name, for configuration in code; overrides the attribute of that name. */
    public B setOption(String name, String value) {
      options.put(name, value);
      return asBuilder();
    }

    /**
     * Adds a {@link dev.tributary.Filter} that every record passes before it is encoded (after
     * those added before). Set in code; named so as not to be mistaken for log4j2's own filters.
     */
    public B addRecordFilter(dev.tributary.Filter filter) {
      recordFilters.add(filter);
      return asBuilder();
    }

    /** Adds one aggregator. */
    public B addServer(String host, int port) {
      return addServer(Server.createServer(host, Integer.toString(port)));
    }

    /** Adds one aggregator with its weight, and whether it is a standby. */
    public B addServer(String host, int port, int weight, boolean standby) {
      return addServer(Server.createServer(host, Integer.toString(port), Integer.toString(weight),
          Boolean.toString(standby)));
    }

    private B addServer(Server s) {
      Server[] old = serverElements == null ? new Server[0] : serverElements;
      Server[] grown = java.util.Arrays.copyOf(old, old.length + 1);
      grown[old.length] = s;
      serverElements = grown;
      return asBuilder();
    }

    /**
     * Checks every option; on a problem logs one StatusLogger error naming them all and returns
     * {@code null}, as log4j2 plugins do, so no half-configured appender runs.
     */
    @Override
    public TributaryAppender build() {
      String name = getName();
      LogAdapterConfig config = new LogAdapterConfig();
      try {
        for (Map.Entry<String, String> e : attributes().entrySet()) {
          config.set(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : options.entrySet()) {
          config.set(e.getKey(), e.getValue());
        }
        for (dev.tributary.Filter f : recordFilters) {
          config.addFilter(f);
        }
        if (serverElements != null) {
          for (Server s : serverElements) {
            config.addServer(s.hostPort());
          }
        }
        if (getLayout() != null) {
          LOGGER.warn("Tributary appender {}: a layout is not used; the record mapping options shape the record", name);
        }
        config.check(name);
        TributaryManager manager = TributaryManager.get(name, config);
        return new TributaryAppender(name, getFilter(), isIgnoreExceptions(), getPropertyArray(), manager);
      } catch (IllegalArgumentException | IllegalStateException e) {
        LOGGER.error("Tributary appender {} not created: {}", name, e.getMessage());
        return null;
      }
    }

    /** The attribute fields that were set, by option name (the field names). */
    private Map<String, String> attributes() {
      Map<String, String> set = new LinkedHashMap<>();
      for (Field f : Builder.class.getDeclaredFields()) {
        if (f.isAnnotationPresent(PluginBuilderAttribute.class)) {
          try {
            Object v = f.get(this);
            if (v != null) {
              set.put(f.getName(), (String) v);
            }
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      return set;
    }

    /** Not used: records are shaped by the mapping options, not by a layout. */
    @Override
    public B setLayout(Layout<? extends Serializable> layout) {
      return super.setLayout(layout);
    }
  }
}
