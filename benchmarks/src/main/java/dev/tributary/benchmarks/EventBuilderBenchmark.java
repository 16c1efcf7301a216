package dev.tributary.benchmarks;

import dev.tributary.Tributary;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The six-field record of {@link Records} emitted three ways by application code: through the
 * fluent builder ({@code event(tag).put(...).emit()}), through a {@code Map} built for each event
 * (what an application does: a map, its entries, a boxed number per numeric value), and through
 * one prebuilt {@code Map} reused for every call (the lower bound of the map path, which {@code
 * EmitBenchmark} measures). The numeric values change per call, as they do in real events, so
 * that boxing is not folded away. Same method as {@code EmitBenchmark}: the server stops reading
 * during an iteration and catches up between iterations.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar 'benchmarks\.EventBuilderBenchmark' -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@State(Scope.Benchmark)
public class EventBuilderBenchmark {

  private static final String TAG = "app.orders";
  private static final long DURATION = 1_234_567_890_123L;

  private ForwardServer server;
  private Tributary tributary;
  private final Map<String, Object> prebuilt = Records.sixFields();

  /** Per-thread values that change with every call. */
  @State(Scope.Thread)
  public static class Values {
    int count;
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = ForwardServer.builder().countOnly(true).build();
    tributary = Tributary.builder()
        .server("127.0.0.1", server.port())
        .bufferMaxBytes(2L * 1024 * 1024 * 1024)
        .writeTimeout(Duration.ofMinutes(1))
        .build();
    // grow the page pool once, so that no iteration pays for allocating pages (see EmitBenchmark)
    server.stallReading(true);
    for (int i = 0; i < 7_000_000; i++) {
      tributary.emit(TAG, prebuilt);
    }
    drain();
    System.gc();
  }

  /** Starts each iteration with everything delivered, so no iteration waits for memory. */
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

  private void builder(Values v) {
    int n = v.count++;
    tributary.event(TAG)
        .put("message", Records.MESSAGE)
        .put("level", "INFO")
        .put("logger", "com.example.shop.OrderService")
        .put("thread", "http-nio-8080-exec-1")
        .put("count", n)
        .put("duration_ns", DURATION + n)
        .emit();
  }

  @Benchmark
  @Threads(1)
  public void builder1Thread(Values v) {
    builder(v);
  }

  @Benchmark
  @Threads(2)
  public void builder2Threads(Values v) {
    builder(v);
  }

  /** What application code writes today: a new map per event, its numbers boxed. */
  @Benchmark
  @Threads(1)
  public void mapPerEvent1Thread(Values v) {
    int n = v.count++;
    Map<String, Object> r = new HashMap<>();
    r.put("message", Records.MESSAGE);
    r.put("level", "INFO");
    r.put("logger", "com.example.shop.OrderService");
    r.put("thread", "http-nio-8080-exec-1");
    r.put("count", n);
    r.put("duration_ns", DURATION + n);
    tributary.emit(TAG, r);
  }

  /** The map path's floor: one map, built once, emitted again and again. */
  @Benchmark
  @Threads(1)
  public void mapPrebuilt1Thread() {
    tributary.emit(TAG, prebuilt);
  }
}
