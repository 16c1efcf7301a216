package dev.tributary.benchmarks;

import dev.tributary.HeartbeatType;
import dev.tributary.Tributary;
import dev.tributary.TributaryListener;
import dev.tributary.testkit.ForwardServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long {@code build()} takes on a file buffer directory that holds {@code megabytes} of sealed
 * chunks a previous run left (a run whose server was down): lock, read every header, check every
 * checksum, queue the chunks. The server stays down, so nothing is sent meanwhile, and the
 * instance is closed without touching the files, so each invocation recovers the same directory.
 * The files are in the page cache, as after a process restart; a cold cache after a reboot reads
 * from the disk.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar 'benchmarks\.RecoveryBenchmark'}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class RecoveryBenchmark {

  @Param({"1024"})
  public int megabytes;

  private ForwardServer down;
  private Path dir;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    down = ForwardServer.start();
    down.stop();
    dir = Files.createTempDirectory("tributary-bench-recovery");
    try (Tributary t = builder().overflowPolicy(dev.tributary.OverflowPolicy.DROP_NEWEST).build()) {
      Map<String, Object> record = Records.sixFields();
      long target = (long) megabytes << 20;
      while (t.metrics().bufferedBytes() < target && t.metrics().droppedTotal() == 0) {
        for (int i = 0; i < 10_000; i++) {
          t.emit("app.orders", record);
        }
      }
      t.close(Duration.ofMillis(100));
      System.out.println("\nleft on disk: " + t.metrics().keptOnDiskEvents() + " events");
    }
  }

  private Tributary.Builder builder() {
    return Tributary.builder().server("127.0.0.1", down.port()).bufferPath(dir)
        .fileBufferMaxBytes(((long) megabytes << 20) + (64L << 20))
        .heartbeatType(HeartbeatType.NONE).listener(TributaryListener.NONE);
  }

  @Benchmark
  public long recover() {
    Tributary t = builder().build();
    long n = t.metrics().recoveredEvents();
    t.close(Duration.ZERO);
    return n;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    down.close();
    Files2.deleteTree(dir);
  }
}
