package dev.tributary.benchmarks.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every subject of the suite, by the name JMH's {@code subject} parameter and the runners use.
 * A variant (file buffer, TLS, a filter chain) becomes one more entry here with its own factory:
 * every measure picks it up.
 *
 * <p>Immutable and thread safe.
 */
public final class Subjects {

  /**
   * One subject.
   *
   * @param name the parameter value, e.g. {@code tributary}
   * @param library the library and entry point, as the report names it
   * @param artifact the Maven coordinates ({@code group:artifact}) whose version the report states
   * @param wire what it writes, so which {@link Sink} counts it
   * @param acks whether it can run with acks (at-least-once)
   * @param callerWrites whether the caller's thread writes to the socket itself (no background
   *     sender): such a subject blocks when the server does not read
   * @param reference a floor to compare with, not a forwarder (left out of the delivery targets)
   * @param factory makes a new, unstarted instance
   * @param missing why the subject cannot run in this build, or null when it can
   */
  public record Spec(String name, String library, String artifact, Wire wire, boolean acks,
      boolean callerWrites, boolean reference, Supplier<Subject> factory, String missing) {

    /** A new, unstarted instance. */
    public Subject create() {
      if (missing != null) {
        throw new IllegalStateException(name + " is not available: " + missing);
      }
      return factory.get();
    }

    /** Whether this build can run it. */
    public boolean available() {
      return missing == null;
    }
  }

  /** The baseline every ratio is taken against. */
  public static final String BASELINE = "fluency";

  private static final List<Spec> ALL = List.of(
      new Spec("tributary", "Tributary API emit(tag, map)", "dev.tributary:tributary-core",
          Wire.FORWARD, true, false, false, TributarySubject::new, null),
      new Spec("tributary-builder", "Tributary API event(tag).put(...).emit(), no map (no peer has an equivalent)",
          "dev.tributary:tributary-core", Wire.FORWARD, true, false, false, TributarySubject::builder, null),
      new Spec("fluency", "Fluency emit(tag, map)", "org.komamitsu:fluency-fluentd",
          Wire.FORWARD, true, false, false, FluencySubject::new, null),
      new Spec("fluent-logger", "fluent-logger-java log(tag, map)", "org.fluentd:fluent-logger",
          Wire.FORWARD, false, true, false, FluentLoggerSubject::new, null),
      new Spec("tributary-logback", "Tributary logback TributaryAppender",
          "dev.tributary:tributary-logback-appender", Wire.FORWARD, true, false, false,
          TributaryLogbackSubject::new,
          TributaryLogbackSubject.AVAILABLE ? null
              : TributaryLogbackSubject.APPENDER_CLASS + " not on the class path (adapter not built yet)"),
      new Spec("more-appenders", "logback-more-appenders FluencyLogbackAppender",
          "com.sndyuk:logback-more-appenders", Wire.FORWARD, true, false, false,
          MoreAppendersSubject::new, null),
      new Spec("logstash-tcp", "logstash-logback-encoder LogstashTcpSocketAppender (JSON lines)",
          "net.logstash.logback:logstash-logback-encoder", Wire.JSON_LINES, false, false, false,
          LogstashTcpSubject::new, null),
      new Spec("logback-async-null", "logback AsyncAppender + OutputStreamAppender to a null stream",
          "ch.qos.logback:logback-classic", Wire.NULL_STREAM, false, false, true,
          LogbackAsyncNullSubject::new, null),
      new Spec("msgpack-sync", "hand-written msgpack-core sender: encode, write synchronously, no buffer",
          "org.msgpack:msgpack-core", Wire.FORWARD, true, true, true, MsgpackSyncSubject::new, null));

  private Subjects() {}

  /** Every subject, available or not, in report order. */
  public static List<Spec> all() {
    return ALL;
  }

  /** The subjects this build can run, in report order. */
  public static List<Spec> available() {
    List<Spec> out = new ArrayList<>();
    for (Spec s : ALL) {
      if (s.available()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The subject called {@code name}. */
  public static Spec spec(String name) {
    for (Spec s : ALL) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown subject \"" + name + "\"; known: " + names(ALL));
  }

  static List<String> names(List<Spec> specs) {
    List<String> out = new ArrayList<>();
    for (Spec s : specs) {
      out.add(s.name());
    }
    return out;
  }
}
