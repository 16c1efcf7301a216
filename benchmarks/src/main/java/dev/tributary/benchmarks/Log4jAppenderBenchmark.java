package dev.tributary.benchmarks;

import dev.tributary.Tributary;
import dev.tributary.log4j.TributaryAppender;
import dev.tributary.testkit.ForwardServer;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link LogbackAppenderBenchmark}'s log call through the log4j2 API and {@link TributaryAppender}
 * (log4j2's garbage-free defaults: reusable events and messages, formatted into the appender's
 * buffer). Configured in code, because the shaded benchmark jar keeps only log4j-core's plugin
 * descriptor.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar Log4jAppenderBenchmark -prof gc}
 *
 * <p>The calling thread is named {@code http-nio-8080-exec-1} for the trial ({@link RequestThread}),
 * as a request thread is; runs before 2026-12-03 10:00 UTC had JMH's 70-character worker name in
 * every record.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Dlog4j2.statusLoggerLevel=WARN"})
@State(Scope.Benchmark)
public class Log4jAppenderBenchmark {

  private ForwardServer server;
  private Tributary tributary;
  private Logger logger;

  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() {
    server = ForwardServer.builder().countOnly(true).build();
    TributaryAppender appender = TributaryAppender.newBuilder()
        .setName("bench")
        .setOption("servers", "127.0.0.1:" + server.port())
        .setOption("tag", "app.orders")
        .setOption("bufferMaxBytes", AdapterBenchmarks.BUFFER)
        .build();
    appender.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    config.addAppender(appender);
    LoggerConfig root = config.getRootLogger();
    for (String name : root.getAppenders().keySet()) {
      root.removeAppender(name);
    }
    root.addAppender(appender, Level.INFO, null);
    root.setLevel(Level.INFO);
    context.updateLoggers();
    tributary = appender.forwarder().tributary();
    logger = LogManager.getLogger(AdapterBenchmarks.LOGGER);
  }

  @Setup(org.openjdk.jmh.annotations.Level.Iteration)
  public void drain() {
    AdapterBenchmarks.drain(tributary);
  }

  @TearDown(org.openjdk.jmh.annotations.Level.Trial)
  public void tearDown() {
    long undelivered = tributary.close(AdapterBenchmarks.closeTimeout());
    AdapterBenchmarks.report("log4j2", tributary, undelivered, server);
    LogManager.shutdown();
    server.close();
  }

  @Benchmark
  @Threads(1)
  public void info1Thread(RequestThread thread) {
    logger.info(AdapterBenchmarks.SLF4J_PATTERN, AdapterBenchmarks.ARG);
  }
}
