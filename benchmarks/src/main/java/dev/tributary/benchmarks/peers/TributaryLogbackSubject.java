package dev.tributary.benchmarks.peers;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.joran.util.PropertySetter;
import ch.qos.logback.core.joran.util.beans.BeanDescriptionCache;
import ch.qos.logback.core.status.Status;
import dev.tributary.Tributary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tributary's logback appender ({@code tributary-logback-appender}), configured through its bean
 * properties exactly as a {@code logback.xml} would set them (logback's own {@link PropertySetter},
 * so text values convert the way Joran converts them).
 *
 * <p>The appender is looked up by name, so the suite compiles and runs whether or not the module is
 * built: {@link #AVAILABLE} says whether it is on the class path, and {@link Subjects} leaves the
 * subject out (with the reason in the report) when it is not. Drops come from the appender's
 * Tributary metrics when it exposes them, else from its error statuses.
 *
 * <p>Like every logback subject it is not flushed: logback has no flush call, so the tail of each
 * burst goes out on the appender's own schedule ({@code flushInterval}, 200 ms by default).
 */
final class TributaryLogbackSubject extends LogbackSubject {

  static final String APPENDER_CLASS = "dev.tributary.logback.TributaryAppender";

  /** Whether {@link #APPENDER_CLASS} can be loaded in this JVM. */
  static final boolean AVAILABLE = loadable();

  private Object appenderObject;
  /** The appender's Tributary, found once it is started (it builds its pipeline in start()). */
  private Tributary tributary;

  private static boolean loadable() {
    try {
      Class.forName(APPENDER_CLASS, false, TributaryLogbackSubject.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Appender<ILoggingEvent> createAppender(LoggerContext context, SubjectConfig config) throws Exception {
    Object appender = Class.forName(APPENDER_CLASS).getDeclaredConstructor().newInstance();
    ((Appender<ILoggingEvent>) appender).setContext(context);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("servers", config.host() + ":" + config.port());
    properties.put("tag", SuiteRecord.TAG);
    properties.put("requireAck", Boolean.toString(config.requireAck()));
    properties.put("bufferMaxBytes", Long.toString(config.bufferBytes()));
    properties.put("maxBlock", config.maxBlock().toMillis() + "ms");
    properties.put("closeTimeout", "60s");
    PropertySetter setter = new PropertySetter(new BeanDescriptionCache(context), appender);
    setter.setContext(context);
    for (Map.Entry<String, String> p : properties.entrySet()) {
      setter.setProperty(p.getKey(), p.getValue());
    }
    List<String> errors = context.getStatusManager().getCopyOfStatusList().stream()
        .filter(s -> s.getEffectiveLevel() >= Status.WARN)
        .map(Status::getMessage)
        .collect(Collectors.toList());
    if (!errors.isEmpty()) {
      throw new IllegalStateException("TributaryAppender rejected the benchmark's settings " + properties + ": " + errors);
    }
    appenderObject = appender;
    return (Appender<ILoggingEvent>) appender;
  }

  @Override
  public void start(SubjectConfig config) throws Exception {
    super.start(config);
    tributary = tributaryOf(appenderObject);
  }

  /**
   * The appender's {@link Tributary}, found by name so that this compiles without the module
   * ({@code forwarder().tributary()}); null if the appender does not expose it.
   */
  private static Tributary tributaryOf(Object appender) {
    try {
      Object forwarder = appender.getClass().getMethod("forwarder").invoke(appender);
      Object t = forwarder == null ? null : forwarder.getClass().getMethod("tributary").invoke(forwarder);
      return t instanceof Tributary ? (Tributary) t : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The appender's drop count from its metrics if it exposes them, else its error statuses. */
  @Override
  public long dropped() {
    // metrics stay readable after close, so the count is right when read after shutdown too
    return tributary == null ? statusErrors.sum() : tributary.metrics().droppedTotal();
  }
}
