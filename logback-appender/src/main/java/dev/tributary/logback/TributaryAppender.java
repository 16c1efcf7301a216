package dev.tributary.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.WarnStatus;
import dev.tributary.TributaryMetrics;
import dev.tributary.logging.Diagnostics;
import dev.tributary.logging.LogAdapterConfig;
import dev.tributary.logging.LogForwarder;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * A logback appender that sends each event to Fluentd / Fluent Bit over the forward protocol, as
 * one structured record (see {@link dev.tributary.logging.LogEventMapping} for the fields).
 *
 * <p>Configured in logback.xml with the same option names as {@code Tributary.builder()}; every
 * value is text and is checked in {@link #start()}. A bad configuration is reported through
 * logback's status ({@code addError}, naming every bad option) and the appender stays stopped; the
 * application keeps logging to its other appenders. {@link #doAppend} never throws; it encodes the
 * event on the calling thread and never waits on the network. {@link #stop()} drains what is
 * buffered within {@code closeTimeout} and reports how many events may have been lost; with
 * {@code <shutdownHook/>} in logback.xml that happens at JVM exit too.
 *
 * <p>Tributary's own reports while running (a failed connection, at most once per {@code
 * reportInterval}; loss summaries; the loss at stop) are logback statuses. logback shows statuses
 * only to a registered status listener, so while none is registered (the default) the appender
 * also prints each report to standard error, never through a logger. {@code debug="true"} shows
 * them with every other status; {@code <statusListener
 * class="ch.qos.logback.core.status.NopStatusListener"/>} silences them.
 *
 * <pre>{@code
 * <configuration>
 *   <shutdownHook/>
 *   <appender name="FLUENT" class="dev.tributary.logback.TributaryAppender">
 *     <servers>agg1:24224,agg2:24224</servers>
 *     <tag>app.{logger}</tag>
 *     <serviceName>checkout</serviceName>
 *   </appender>
 *   <root level="INFO"><appender-ref ref="FLUENT"/></root>
 * </configuration>
 * }</pre>
 *
 * <p>Thread safe. Owns one Tributary instance (threads {@code tributary-*-<appender name>}),
 * started in {@code start()} and closed in {@code stop()}.
 */
public class TributaryAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private final LogAdapterConfig config = new LogAdapterConfig();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss,SSS");

  private final Diagnostics diagnostics = new Diagnostics() {
    @Override
    public void warn(String message, Throwable cause) {
      report(new WarnStatus(message, TributaryAppender.this, cause));
    }

    @Override
    public void error(String message, Throwable cause) {
      report(new ErrorStatus(message, TributaryAppender.this, cause));
    }
  };
  private volatile LogForwarder<ILoggingEvent> forwarder;

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    try {
      forwarder = config.start(getName(), LogbackAccessor.INSTANCE, diagnostics);
    } catch (IllegalArgumentException | IllegalStateException e) {
      addError("Tributary appender [" + getName() + "] not started: " + e.getMessage());
      return;
    }
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    LogForwarder<ILoggingEvent> f = forwarder;
    if (f != null) {
      f.append(event);
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    LogForwarder<ILoggingEvent> f = forwarder;
    if (f != null) {
      f.stop();
    }
  }

  /**
   * Adds {@code status}; with no status listener registered, where logback would keep it unseen,
   * also prints it to standard error as logback's console status listener would.
   */
  private void report(Status status) {
    addStatus(status);
    Context context = getContext();
    if (context == null || context.getStatusManager().getCopyOfStatusListenerList().isEmpty()) {
      String level = status.getLevel() == Status.ERROR ? "ERROR" : "WARN";
      System.err.println(LocalTime.now().format(TIME) + " |-" + level + " in " + this + " - " + status.getMessage()
          + (status.getThrowable() != null ? " - " + status.getThrowable() : ""));
    }
  }

  /**
   * The forwarder of the last successful {@link #start()}, still readable after {@link #stop()};
   * {@code null} if the appender never started.
   */
  public LogForwarder<ILoggingEvent> forwarder() {
    return forwarder;
  }

  /**
   * Every event this appender handed to Tributary, accounted for: delivered, buffered, dropped or
   * failed, by reason. Readable after {@link #stop()}; {@code null} if the appender never started.
   */
  public TributaryMetrics metrics() {
    LogForwarder<ILoggingEvent> f = forwarder;
    return f == null ? null : f.tributary().metrics();
  }

  private void set(String option, String value) {
    config.set(option, value);
  }

  /** Any option by name, as {@code <option>flushInterval=500ms</option>}; repeatable. */
  public void addOption(String nameEqualsValue) {
    int eq = nameEqualsValue == null ? -1 : nameEqualsValue.indexOf('=');
    if (eq <= 0) {
      addError("option must be name=value, was \"" + nameEqualsValue + "\"");
      return;
    }
    try {
      set(nameEqualsValue.substring(0, eq).trim(), nameEqualsValue.substring(eq + 1).trim());
    } catch (IllegalArgumentException e) {
      addError(e.getMessage());
    }
  }

  /**
   * Adds a {@link dev.tributary.Filter} that every record passes before it is encoded (after those
   * added before); call before {@link #start()}. Set in code; named so as not to be mistaken for
   * logback's own {@code addFilter}.
   */
  public void addRecordFilter(dev.tributary.Filter filter) {
    try {
      config.addFilter(filter);
    } catch (IllegalArgumentException e) {
      addError(e.getMessage());
    }
  }

  // ---- the tag and the servers

  /** A static tag, or a pattern with {@code {logger}} / {@code {level}}. Default {@code app}. */
  public void setTag(String tag) {
    set("tag", tag);
  }

  /** Comma-separated {@code host:port} list, each optionally with {@code weight=N} and {@code standby}. */
  public void setServers(String servers) {
    set("servers", servers);
  }

  /**
   * One {@code host:port}, optionally with {@code weight=N} and {@code standby}; repeatable
   * ({@code <server>a:24224 weight=60</server><server>b:24224 standby</server>}).
   */
  public void addServer(String server) {
    config.addServer(server);
  }

  // ---- Tributary options (see Tributary.Builder for meanings and defaults)

  public void setRequireAck(String v) {
    set("requireAck", v);
  }

  public void setAckTimeout(String v) {
    set("ackTimeout", v);
  }

  public void setConnectTimeout(String v) {
    set("connectTimeout", v);
  }

  public void setWriteTimeout(String v) {
    set("writeTimeout", v);
  }

  public void setBufferMaxBytes(String v) {
    set("bufferMaxBytes", v);
  }

  /** A directory for the file buffer; see Tributary.Builder#bufferPath. */
  public void setBufferPath(String v) {
    set("bufferPath", v);
  }

  /** ON_SEAL (default), INTERVAL or NONE. */
  public void setFsync(String v) {
    set("fsync", v);
  }

  public void setFsyncInterval(String v) {
    set("fsyncInterval", v);
  }

  public void setFileBufferMaxBytes(String v) {
    set("fileBufferMaxBytes", v);
  }

  public void setChunkMaxBytes(String v) {
    set("chunkMaxBytes", v);
  }

  public void setChunkMaxRecords(String v) {
    set("chunkMaxRecords", v);
  }

  public void setMaxRequestBytes(String v) {
    set("maxRequestBytes", v);
  }

  public void setMaxEventBytes(String v) {
    set("maxEventBytes", v);
  }

  public void setRejectedAttempts(String v) {
    set("rejectedAttempts", v);
  }

  /** TRANSPORT (default), UDP or NONE. */
  public void setHeartbeatType(String v) {
    set("heartbeatType", v);
  }

  public void setHeartbeatInterval(String v) {
    set("heartbeatInterval", v);
  }

  public void setPhiThreshold(String v) {
    set("phiThreshold", v);
  }

  public void setHardTimeout(String v) {
    set("hardTimeout", v);
  }

  public void setRecoverWait(String v) {
    set("recoverWait", v);
  }

  public void setTls(String v) {
    set("tls", v);
  }

  public void setTlsCaFile(String v) {
    set("tlsCaFile", v);
  }

  public void setTlsTrustStore(String v) {
    set("tlsTrustStore", v);
  }

  public void setTlsTrustStorePassword(String v) {
    set("tlsTrustStorePassword", v);
  }

  public void setTlsCertFile(String v) {
    set("tlsCertFile", v);
  }

  public void setTlsKeyFile(String v) {
    set("tlsKeyFile", v);
  }

  public void setTlsKeyStore(String v) {
    set("tlsKeyStore", v);
  }

  public void setTlsKeyStorePassword(String v) {
    set("tlsKeyStorePassword", v);
  }

  public void setTlsMinVersion(String v) {
    set("tlsMinVersion", v);
  }

  public void setTlsMaxVersion(String v) {
    set("tlsMaxVersion", v);
  }

  public void setTlsInsecure(String v) {
    set("tlsInsecure", v);
  }

  public void setSharedKey(String v) {
    set("sharedKey", v);
  }

  public void setSelfHostname(String v) {
    set("selfHostname", v);
  }

  public void setUsername(String v) {
    set("username", v);
  }

  public void setPassword(String v) {
    set("password", v);
  }

  /** A configuration file in Fluentd's syntax (a path or {@code classpath:name}); options set here override it. */
  public void setConfig(String v) {
    set("config", v);
  }

  /** true (default): an MBean dev.tributary:type=Tributary,name=&lt;appender name&gt; while started. */
  public void setJmx(String v) {
    set("jmx", v);
  }

  public void setFlushInterval(String v) {
    set("flushInterval", v);
  }

  /** BLOCK (default), DROP_NEWEST or DROP_OLDEST; THROW is refused. */
  public void setOverflowPolicy(String v) {
    set("overflowPolicy", v);
  }

  public void setMaxBlock(String v) {
    set("maxBlock", v);
  }

  public void setRetryInitialBackoff(String v) {
    set("retryInitialBackoff", v);
  }

  public void setRetryMaxBackoff(String v) {
    set("retryMaxBackoff", v);
  }

  public void setRetryMaxAttempts(String v) {
    set("retryMaxAttempts", v);
  }

  public void setRetryTimeout(String v) {
    set("retryTimeout", v);
  }

  public void setMaxInFlightChunks(String v) {
    set("maxInFlightChunks", v);
  }

  /** How long {@link #stop()} drains before giving up. Default 10 s. */
  public void setCloseTimeout(String v) {
    set("closeTimeout", v);
  }

  public void setReportInterval(String v) {
    set("reportInterval", v);
  }

  public void setCompression(String v) {
    set("compression", v);
  }

  public void setTimeAsInteger(String v) {
    set("timeAsInteger", v);
  }

  public void setLegacyMsgpack(String v) {
    set("legacyMsgpack", v);
  }

  // ---- record mapping options (see LogEventMapping)

  public void setIncludeCallerData(String v) {
    set("includeCallerData", v);
  }

  public void setIncludeHostName(String v) {
    set("includeHostName", v);
  }

  public void setHostName(String v) {
    set("hostName", v);
  }

  public void setServiceName(String v) {
    set("serviceName", v);
  }

  /** {@code key=value,key=value}, written into every record. */
  public void setStaticFields(String v) {
    set("staticFields", v);
  }

  public void setIncludeMdc(String v) {
    set("includeMdc", v);
  }

  public void setIncludeKeyValues(String v) {
    set("includeKeyValues", v);
  }

  public void setIncludeMarkers(String v) {
    set("includeMarkers", v);
  }

  public void setIncludeKubernetes(String v) {
    set("includeKubernetes", v);
  }

  public void setMaxStackTraceDepth(String v) {
    set("maxStackTraceDepth", v);
  }

  public void setMaxStackTraceLength(String v) {
    set("maxStackTraceLength", v);
  }

  public void setMdcField(String v) {
    set("mdcField", v);
  }

  public void setKeyValuesField(String v) {
    set("keyValuesField", v);
  }

  public void setMessageField(String v) {
    set("messageField", v);
  }

  public void setLevelField(String v) {
    set("levelField", v);
  }

  public void setOriginalLevelField(String v) {
    set("originalLevelField", v);
  }

  public void setLoggerField(String v) {
    set("loggerField", v);
  }

  public void setThreadField(String v) {
    set("threadField", v);
  }

  public void setErrorField(String v) {
    set("errorField", v);
  }

  public void setErrorClassField(String v) {
    set("errorClassField", v);
  }

  public void setErrorMessageField(String v) {
    set("errorMessageField", v);
  }

  public void setErrorStackTraceField(String v) {
    set("errorStackTraceField", v);
  }

  public void setMarkersField(String v) {
    set("markersField", v);
  }

  public void setCallerClassField(String v) {
    set("callerClassField", v);
  }

  public void setCallerMethodField(String v) {
    set("callerMethodField", v);
  }

  public void setCallerFileField(String v) {
    set("callerFileField", v);
  }

  public void setCallerLineField(String v) {
    set("callerLineField", v);
  }

  public void setHostField(String v) {
    set("hostField", v);
  }

  public void setServiceField(String v) {
    set("serviceField", v);
  }

  public void setKubernetesField(String v) {
    set("kubernetesField", v);
  }
}
