package dev.tributary.benchmarks;

import dev.tributary.Outputs;
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
 * <p>{@code outputs=2} routes every event to two forward outputs, each with its own server and
 * budget: the event is encoded once and its bytes appended to both (run it with {@code -p
 * outputs=1,2}). {@code buffer=file} puts the chunks in the file buffer instead of memory (with
 * two outputs, each in its own directory under the temporary one); run both with {@code -p
 * buffer=memory,file}.
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

  /** 1: the single-server builder of old; 2: a copy to each of two forward outputs. */
  @Param({"1"})
  public int outputs;

  /** {@code memory}, or {@code file}: the file buffer in a temporary directory ({@code fsync=ON_SEAL}). */
  @Param({"memory"})
  public String buffer;

  private java.nio.file.Path bufferDir;

  private ForwardServer server;
  private ForwardServer second;
  private Tributary tributary;
  private final Map<String, Object> record = Records.sixFields();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = ForwardServer.builder().countOnly(true).build();
    Tributary.Builder b = Tributary.builder()
        .requireAck(requireAck)
        .bufferMaxBytes(2L * 1024 * 1024 * 1024)
        .writeTimeout(Duration.ofMinutes(1));
    if (outputs == 1) {
      b.server("127.0.0.1", server.port());
    } else {
      second = ForwardServer.builder().countOnly(true).build();
      b.output("one", Outputs.forward().server("127.0.0.1", server.port()))
          .output("two", Outputs.forward().server("127.0.0.1", second.port()))
          .match("**", "one", "two");
    }
    if (buffer.equals("file")) {
      // with two outputs, each has its own directory under this one, with this budget each
      bufferDir = java.nio.file.Files.createTempDirectory("tributary-bench-file");
      b.bufferPath(bufferDir).fileBufferMaxBytes(4L * 1024 * 1024 * 1024);
    }
    tributary = b.build();
    // grow the byte budget's page pool once, so that no iteration pays for allocating pages
    // (in steady state pages are recycled; a burst larger than any before allocates)
    stall(true);
    for (int i = 0; i < 7_000_000; i++) {
      tributary.emit("app.orders", record);
    }
    drain();
    System.gc();
  }

  /** Starts each iteration with everything delivered, so no iteration waits for memory. */
  @Setup(Level.Iteration)
  public void drain() {
    stall(false);
    tributary.flush();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (Records.held(tributary.metrics()) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000L);
    }
    stall(true);
  }

  private void stall(boolean stall) {
    server.stallReading(stall);
    if (second != null) {
      second.stallReading(stall);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    stall(false);
    long undelivered = tributary.close(Duration.ofSeconds(60));
    TributaryMetrics m = tributary.metrics();
    System.out.println("\nemitted=" + m.emitted() + " delivered=" + m.delivered() + " dropped="
        + m.dropped() + " undelivered=" + undelivered + " server counted=" + server.eventCount()
        + (second == null ? "" : " second server counted=" + second.eventCount()));
    server.close();
    if (second != null) {
      second.close();
    }
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
