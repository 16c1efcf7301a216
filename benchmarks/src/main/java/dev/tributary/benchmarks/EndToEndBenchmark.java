package dev.tributary.benchmarks;

import dev.tributary.Tributary;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ForwardServerConfig;
import dev.tributary.testkit.TestCertificates;
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
 * <p>{@code transport} compares plain TCP with TLS (certificates made for the run, the server's CA
 * trusted, host name verified) and with TLS plus the shared-key handshake.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar 'benchmarks\.EndToEndBenchmark'}
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

  @Param({"tcp"})
  public String transport;

  /** {@code memory}, or {@code file}: the file buffer in a temporary directory. */
  @Param({"memory"})
  public String buffer;

  /** The file buffer's fsync mode. */
  @Param({"ON_SEAL"})
  public String fsync;

  private Path bufferDir;

  private ForwardServer server;
  private Tributary tributary;
  private final Map<String, Object> record = Records.sixFields();
  private long target;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ForwardServerConfig.Builder sb = ForwardServer.builder().countOnly(true);
    Tributary.Builder tb = Tributary.builder().requireAck(requireAck).bufferMaxBytes(512L * 1024 * 1024);
    if (!transport.equals("tcp")) {
      TestCertificates certs = TestCertificates.create();
      Path dir = Files.createTempDirectory("tributary-bench-tls");
      sb.tls(certs);
      tb.tls(true).tlsCaFile(certs.writePem(dir).caCertificate());
      if (transport.equals("tls+key")) {
        sb.sharedKey("bench-key");
        tb.sharedKey("bench-key");
      }
    }
    if (buffer.equals("file")) {
      bufferDir = Files.createTempDirectory("tributary-bench-file");
      tb.bufferPath(bufferDir).fsync(dev.tributary.FsyncMode.valueOf(fsync));
    }
    server = sb.build();
    tributary = tb.server("localhost", server.port()).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tributary.close(Duration.ofSeconds(60));
    System.out.println("\n" + tributary.metrics());
    server.close();
    Files2.deleteTree(bufferDir);
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
