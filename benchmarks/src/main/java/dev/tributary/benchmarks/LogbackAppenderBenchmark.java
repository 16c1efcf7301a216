package dev.tributary.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.helpers.NOPAppender;
import dev.tributary.Tributary;
import dev.tributary.logback.TributaryAppender;
import dev.tributary.testkit.ForwardServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

/**
 * What {@code logger.info("Order {} accepted ...", arg)} costs the calling thread through SLF4J,
 * logback and {@link TributaryAppender} with its default record (message, level, logger, thread,
 * host): logback's event, the message formatted, the record encoded and copied into the chunk. The
 * events are delivered for real, with acks, to a counting {@link ForwardServer} on loopback; each
 * iteration starts drained (see {@link EmitBenchmark}), and the teardown prints delivered and lost.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar LogbackAppenderBenchmark -prof gc}; {@code -p
 * output=null} for the logging thread's cost alone. Give the JVM {@code -XX:+AlwaysPreTouch} when
 * comparing builds: logback's event and the formatted message allocate about 150 bytes a call, and
 * without it the first touches of a fresh heap's pages made iterations vary from 290 to 1,100 ns.
 *
 * <p>The calling thread is named {@code http-nio-8080-exec-1} for the trial ({@link RequestThread}),
 * as a request thread is; runs before 2026-12-03 10:00 UTC had JMH's 70-character worker name in
 * every record.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@State(Scope.Benchmark)
public class LogbackAppenderBenchmark {

  /**
   * {@code forward}: to a counting server with acks; {@code null}: to Tributary's {@code null}
   * output (a config file with {@code <match **> @type null}), which takes every sealed chunk as
   * delivered at once, so the score is the logging thread's own ({@code -p output=forward,null}).
   */
  @Param({"forward"})
  public String output;

  /**
   * {@code default}: the appender's default record; {@code empty}: every field left out ({@code
   * -}), so the score is logback's call, the appender and Tributary's call with nothing to encode;
   * {@code nop}: logback's own {@code NOPAppender} in place of Tributary's, logback's share alone
   * ({@code -p output=null -p record=default,empty,nop}); {@code message}: the message alone, and
   * {@code nomessage}: the default record without it, what the message costs.
   */
  @Param({"default"})
  public String record;

  /**
   * How many loggers the calls go through, in turn: 1, or more to measure records whose level,
   * logger and thread fields the encoder does not have in its kept runs (64 per encoder), as
   * when a thread logs through more loggers than that ({@code -p loggers=1,1024}).
   */
  @Param({"1"})
  public int loggers;

  private ForwardServer server;
  private Path config;
  private TributaryAppender appender;
  private Tributary tributary;
  private org.slf4j.Logger logger;
  /** With {@code loggers} above 1, the loggers in turn. */
  private org.slf4j.Logger[] many;
  private int next;

  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() throws IOException {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    logger = LoggerFactory.getLogger(AdapterBenchmarks.LOGGER);
    if (loggers > 1) {
      many = new org.slf4j.Logger[loggers];
      many[0] = logger;
      for (int i = 1; i < loggers; i++) {
        many[i] = LoggerFactory.getLogger(AdapterBenchmarks.LOGGER + i);
      }
    } else if (loggers != 1) {
      throw new IllegalArgumentException("loggers must be 1 or more, was " + loggers);
    }
    if (record.equals("nop")) {
      NOPAppender<ILoggingEvent> nop = new NOPAppender<>();
      nop.setContext(context);
      nop.start();
      root.addAppender(nop);
      return;
    }
    appender = new TributaryAppender();
    appender.setContext(context);
    appender.setName("bench");
    if (output.equals("null")) {
      config = Files.createTempFile("tributary-bench", ".conf");
      Files.writeString(config, "<match **>\n  @type null\n</match>\n");
      appender.setConfig(config.toString());
    } else if (output.equals("forward")) {
      server = ForwardServer.builder().countOnly(true).build();
      appender.setServers("127.0.0.1:" + server.port());
    } else {
      throw new IllegalArgumentException("output must be forward or null, was " + output);
    }
    if (record.equals("empty")) {
      appender.setMessageField("-");
      appender.setLevelField("-");
      appender.setLoggerField("-");
      appender.setThreadField("-");
      appender.setIncludeHostName("false");
    } else if (record.equals("message")) {
      appender.setLevelField("-");
      appender.setLoggerField("-");
      appender.setThreadField("-");
      appender.setIncludeHostName("false");
    } else if (record.equals("nomessage")) {
      appender.setMessageField("-");
    } else if (!record.equals("default")) {
      throw new IllegalArgumentException("record must be default, empty, message, nomessage or nop, was " + record);
    }
    appender.setTag("app.orders");
    appender.setBufferMaxBytes(AdapterBenchmarks.BUFFER);
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalStateException("appender not started: " + context.getStatusManager().getCopyOfStatusList());
    }
    root.addAppender(appender);
    tributary = appender.forwarder().tributary();
  }

  @Setup(org.openjdk.jmh.annotations.Level.Iteration)
  public void drain() {
    if (tributary != null) {
      AdapterBenchmarks.drain(tributary);
    }
  }

  @TearDown(org.openjdk.jmh.annotations.Level.Trial)
  public void tearDown() throws IOException {
    if (tributary != null) { // none with logback's NOPAppender
      long undelivered = tributary.close(AdapterBenchmarks.closeTimeout());
      AdapterBenchmarks.report("logback", tributary, undelivered, server);
    }
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    if (server != null) {
      server.close();
    }
    if (config != null) {
      Files.delete(config);
    }
  }

  @Benchmark
  @Threads(1)
  public void info1Thread(RequestThread thread) {
    if (many == null) {
      logger.info(AdapterBenchmarks.SLF4J_PATTERN, AdapterBenchmarks.ARG);
    } else {
      int i = next;
      next = i + 1 == many.length ? 0 : i + 1;
      many[i].info(AdapterBenchmarks.SLF4J_PATTERN, AdapterBenchmarks.ARG);
    }
  }
}
