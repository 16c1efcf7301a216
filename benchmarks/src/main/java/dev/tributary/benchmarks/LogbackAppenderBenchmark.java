package dev.tributary.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.tributary.Tributary;
import dev.tributary.logback.TributaryAppender;
import dev.tributary.testkit.ForwardServer;
import java.util.concurrent.TimeUnit;
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
import org.slf4j.LoggerFactory;

/**
 * What {@code logger.info("Order {} accepted ...", arg)} costs the calling thread through SLF4J,
 * logback and {@link TributaryAppender} with its default record (message, level, logger, thread,
 * host): logback's event, the message formatted, the record encoded and copied into the chunk. The
 * events are delivered for real, with acks, to a counting {@link ForwardServer} on loopback; each
 * iteration starts drained (see {@link EmitBenchmark}), and the teardown prints delivered and lost.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar LogbackAppenderBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@State(Scope.Benchmark)
public class LogbackAppenderBenchmark {

  private ForwardServer server;
  private TributaryAppender appender;
  private Tributary tributary;
  private org.slf4j.Logger logger;

  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() {
    server = ForwardServer.builder().countOnly(true).build();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    appender = new TributaryAppender();
    appender.setContext(context);
    appender.setName("bench");
    appender.setServers("127.0.0.1:" + server.port());
    appender.setTag("app.orders");
    appender.setBufferMaxBytes(AdapterBenchmarks.BUFFER);
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalStateException("appender not started: " + context.getStatusManager().getCopyOfStatusList());
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
    tributary = appender.forwarder().tributary();
    logger = LoggerFactory.getLogger(AdapterBenchmarks.LOGGER);
  }

  @Setup(org.openjdk.jmh.annotations.Level.Iteration)
  public void drain() {
    AdapterBenchmarks.drain(tributary);
  }

  @TearDown(org.openjdk.jmh.annotations.Level.Trial)
  public void tearDown() {
    long undelivered = tributary.close(AdapterBenchmarks.closeTimeout());
    AdapterBenchmarks.report("logback", tributary, undelivered, server);
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    server.close();
  }

  @Benchmark
  @Threads(1)
  public void info1Thread() {
    logger.info(AdapterBenchmarks.SLF4J_PATTERN, AdapterBenchmarks.ARG);
  }
}
