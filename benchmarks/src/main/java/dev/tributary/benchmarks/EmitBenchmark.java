package dev.tributary.benchmarks;

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
 * What {@code emit} costs the calling thread: encode, copy into the chunk, return. The events are
 * delivered for real to a {@link ForwardServer} on loopback that counts and acks them, between
 * iterations: during an iteration the server stops reading, because on this two-core machine its
 * decoding would otherwise take the CPU the caller is being measured on (in production the
 * aggregator runs elsewhere). Each iteration starts with everything delivered and a budget large
 * enough for its burst, so the score is the caller's cost, not the delivery rate ({@link
 * EndToEndBenchmark} measures that). The teardown prints what was delivered and dropped, so a
 * result bought with drops would be visible.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar EmitBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@State(Scope.Benchmark)
public class EmitBenchmark {

  @Param({"true"})
  public boolean requireAck;

  /** {@code memory}, or {@code file}: the file buffer in a temporary directory ({@code fsync=ON_SEAL}). */
  @Param({"memory"})
  public String buffer;

  private java.nio.file.Path bufferDir;

  private ForwardServer server;
  private Tributary tributary;
  private final Map<String, Object> record = Records.sixFields();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = ForwardServer.builder().countOnly(true).build();
    Tributary.Builder b = Tributary.builder()
        .server("127.0.0.1", server.port())
        .requireAck(requireAck)
        .bufferMaxBytes(2L * 1024 * 1024 * 1024)
        .writeTimeout(Duration.ofMinutes(1));
    if (buffer.equals("file")) {
      bufferDir = java.nio.file.Files.createTempDirectory("tributary-bench-file");
      b.bufferPath(bufferDir).fileBufferMaxBytes(4L * 1024 * 1024 * 1024);
    }
    tributary = b.build();
    // grow the byte budget's page pool once, so that no iteration pays for allocating pages
    // (in steady state pages are recycled; a burst larger than any before allocates)
    server.stallReading(true);
    for (int i = 0; i < 7_000_000; i++) {
      tributary.emit("app.orders", record);
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
    while (tributary.metrics().delivered() < tributary.metrics().emitted() && System.nanoTime() < deadline) {
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
    Files2.deleteTree(bufferDir);
  }

  @Benchmark
  @Threads(1)
  public void emit1Thread() {
    tributary.emit("app.orders", record);
  }

  @Benchmark
  @Threads(2)
  public void emit2Threads() {
    tributary.emit("app.orders", record);
  }
}
