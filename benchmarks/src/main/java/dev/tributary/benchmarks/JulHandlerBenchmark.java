package dev.tributary.benchmarks;

import dev.tributary.Tributary;
import dev.tributary.jul.TributaryHandler;
import dev.tributary.testkit.ForwardServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
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
 * {@link LogbackAppenderBenchmark}'s log call through java.util.logging and {@link
 * TributaryHandler}: {@code logger.log(INFO, "Order {0} accepted ...", arg)}. JUL makes a {@code
 * LogRecord} and formats the parameter with a new {@code MessageFormat} per call, which the
 * handler cannot avoid.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar JulHandlerBenchmark -prof gc}
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
public class JulHandlerBenchmark {

  private ForwardServer server;
  private TributaryHandler handler;
  private Tributary tributary;
  private Logger logger;

  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() {
    server = ForwardServer.builder().countOnly(true).build();
    LogManager.getLogManager().reset();
    handler = new TributaryHandler(Map.of(
        "servers", "127.0.0.1:" + server.port(),
        "tag", "app.orders",
        "bufferMaxBytes", AdapterBenchmarks.BUFFER));
    if (handler.forwarder() == null) {
      throw new IllegalStateException("handler not started; see standard error");
    }
    tributary = handler.forwarder().tributary();
    logger = Logger.getLogger(AdapterBenchmarks.LOGGER);
    logger.setUseParentHandlers(false);
    logger.addHandler(handler);
    logger.setLevel(Level.INFO);
  }

  @Setup(org.openjdk.jmh.annotations.Level.Iteration)
  public void drain() {
    AdapterBenchmarks.drain(tributary);
  }

  @TearDown(org.openjdk.jmh.annotations.Level.Trial)
  public void tearDown() {
    long undelivered = tributary.close(AdapterBenchmarks.closeTimeout());
    AdapterBenchmarks.report("jul", tributary, undelivered, server);
    handler.close();
    server.close();
  }

  @Benchmark
  @Threads(1)
  public void info1Thread(RequestThread thread) {
    logger.log(Level.INFO, AdapterBenchmarks.JUL_PATTERN, AdapterBenchmarks.ARG);
  }
}
