package dev.tributary.benchmarks;

import dev.tributary.Filters;
import dev.tributary.Tributary;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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

/**
 * What filters add to {@code emit}: the six-field record through {@code record_transformer} (two
 * fields set from placeholders, one removed), {@code redact} (two key names, e-mail addresses and
 * card numbers in every string) and {@code grep} (a regexp on {@code level}, which every event
 * passes), against the same emit with no filter. Set up as {@link EmitBenchmark}: the server
 * reads between iterations only.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar 'benchmarks\.FilterBenchmark' -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms10g", "-Xmx10g"})
@State(Scope.Benchmark)
public class FilterBenchmark {

  @Param({"none", "transform+redact+grep"})
  public String filters;

  private ForwardServer server;
  private Tributary tributary;
  private final Map<String, Object> record = Records.sixFields();

  @Setup(Level.Trial)
  public void setUp() {
    server = ForwardServer.builder().countOnly(true).build();
    Tributary.Builder b = Tributary.builder()
        .server("127.0.0.1", server.port())
        .bufferMaxBytes(3L * 1024 * 1024 * 1024) // room for a 2-second iteration of the unfiltered emit
        .writeTimeout(Duration.ofMinutes(1));
    if (!filters.equals("none")) {
      b.filter(
          Filters.recordTransformer()
              .record("service", "${tag_parts[0]}")
              .record("host", "${hostname}")
              .removeKeys("thread")
              .build(),
          Filters.redact().keys("password", "token").build(),
          Filters.grep().regexp("level", "^(INFO|WARN|ERROR)$").build());
    }
    tributary = b.build();
    server.stallReading(true);
    for (int i = 0; i < 5_000_000; i++) {
      tributary.emit("app.orders", record);
    }
    drain();
    System.gc();
  }

  @Setup(Level.Iteration)
  public void drain() {
    server.stallReading(false);
    tributary.flush();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (Records.held(tributary.metrics()) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000L);
    }
    server.stallReading(true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.stallReading(false);
    long undelivered = tributary.close(Duration.ofSeconds(60));
    TributaryMetrics m = tributary.metrics();
    System.out.println("\nemitted=" + m.emitted() + " delivered=" + m.delivered() + " dropped="
        + m.dropped() + " undelivered=" + undelivered + " server counted=" + server.eventCount());
    server.close();
  }

  @Benchmark
  @Threads(1)
  public void emit1Thread() {
    tributary.emit("app.orders", record);
  }
}
