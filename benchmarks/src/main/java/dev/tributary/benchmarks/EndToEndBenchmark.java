package dev.tributary.benchmarks;

import dev.tributary.Tributary;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second delivered end to end: one invocation emits {@link #EVENTS} events and returns
 * when the {@link ForwardServer} (counting, acking, not decoding records) has all of them, so the
 * score is delivered events/s, not accepted events/s.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar EndToEndBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class EndToEndBenchmark {

  static final int EVENTS = 1_000_000;

  @Param({"true", "false"})
  public boolean requireAck;

  private ForwardServer server;
  private Tributary tributary;
  private final Map<String, Object> record = Records.sixFields();
  private long target;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = ForwardServer.builder().countOnly(true).build();
    tributary = Tributary.builder()
        .server("127.0.0.1", server.port())
        .requireAck(requireAck)
        .bufferMaxBytes(512L * 1024 * 1024)
        .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tributary.close(Duration.ofSeconds(60));
    System.out.println("\n" + tributary.metrics());
    server.close();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long deliver() throws Exception {
    for (int i = 0; i < EVENTS; i++) {
      tributary.emit("app.orders", record);
    }
    tributary.flush();
    target += EVENTS;
    server.awaitEventCount(target, Duration.ofSeconds(120));
    return target;
  }
}
