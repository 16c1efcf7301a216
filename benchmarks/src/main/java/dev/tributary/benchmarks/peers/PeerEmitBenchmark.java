package dev.tributary.benchmarks.peers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What one log call / emit costs the calling thread, for every subject, from 1 and 2 threads; run
 * with {@code -prof gc} for B/op.
 *
 * <p>Same method as {@code EmitBenchmark}: events are delivered for real, but the receiving server
 * stops reading during a measurement iteration and catches up between iterations, because on a
 * two-core machine its decoding would otherwise take the CPU of the caller being measured (in
 * production the aggregator runs elsewhere). Every library gets a buffer for {@link #CAPACITY}
 * events, enough for an iteration's burst, so the score is the call's cost and not a full
 * buffer's. Two exceptions, both by design of the library: fluent-logger writes to the socket on
 * the caller's thread, so its server keeps reading (a stalled one would block it for good), and
 * the logback floor writes to an in-process null stream, which has no server CPU to exclude.
 *
 * <p>Nothing is bought with drops unseen: the teardown prints what was sent, delivered, dropped
 * and thrown, and appends it to the file named by {@code -Dsuite.outcomes} for the report.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar PeerEmitBenchmark -prof gc -p subject=tributary,fluency}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@State(Scope.Benchmark)
public class PeerEmitBenchmark {

  /** Buffer room of every subject, in events: more than a one-second burst of the fastest. */
  static final int CAPACITY = Integer.getInteger("suite.emit.capacity", 8_000_000);
  /** How long the pre-grow burst lasts: a bit longer than an iteration. */
  static final Duration PRE_GROW = Duration.ofMillis(1500);

  @Param({"tributary", "tributary-builder", "fluency", "fluent-logger", "tributary-logback", "more-appenders",
      "logstash-tcp", "logback-async-null"})
  public String subject;

  private Subjects.Spec spec;
  private Sink sink;
  private Subject instance;
  private boolean stallDuringIterations;
  private final List<Caller> callers = new CopyOnWriteArrayList<>();
  private String benchmark;
  private int threads;
  private long preGrown;

  /** One calling thread's count of calls, summed by the harness between iterations. */
  @State(Scope.Thread)
  public static class Caller {
    long sent;

    @Setup(Level.Trial)
    public void register(PeerEmitBenchmark bench) {
      bench.callers.add(this);
    }
  }

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Exception {
    benchmark = params.getBenchmark();
    threads = params.getThreads();
    spec = Subjects.spec(subject);
    sink = Sink.open(spec.wire(), 0);
    instance = spec.create();
    instance.start(SubjectConfig.of(sink, false, CAPACITY));
    stallDuringIterations = sink.isServer() && !spec.callerWrites();
    if (stallDuringIterations) {
      preGrow();
    }
  }

  /**
   * One burst before the first iteration, delivered and followed by a full GC, as {@code
   * EmitBenchmark} does for Tributary: a library's buffer memory (pages, chunks) is allocated
   * the first time a burst needs it, and the first young collections would copy it; in steady
   * state it is recycled. Done for every buffering subject alike.
   */
  private void preGrow() {
    sink.stall(true);
    long end = System.nanoTime() + PRE_GROW.toNanos();
    long n = 0;
    while (System.nanoTime() - end < 0) {
      for (int i = 0; i < 1000; i++) {
        instance.emit();
      }
      n += 1000;
    }
    sink.stall(false);
    instance.flush();
    sink.awaitReceived(n - instance.dropped() - instance.thrown(), Duration.ofMinutes(2), Duration.ofSeconds(15));
    preGrown = n;
    System.gc();
  }

  private long sent() {
    long n = preGrown;
    for (Caller c : callers) {
      n += c.sent;
    }
    return n;
  }

  /** Starts each iteration with everything delivered, so no iteration meets a full buffer. */
  @Setup(Level.Iteration)
  public void drain() {
    sink.stall(false);
    instance.flush();
    long target = sent() - instance.dropped() - instance.thrown();
    long got = sink.awaitReceived(target, Duration.ofMinutes(2), Duration.ofSeconds(15));
    if (got < target) {
      System.out.println("\n[" + subject + "] before the iteration only " + got + " of " + target
          + " events had arrived (the rest is late or lost; counted at teardown)");
    }
    if (stallDuringIterations) {
      sink.stall(true);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sink.stall(false);
    instance.flush();
    long sent = sent();
    sink.awaitReceived(sent - instance.dropped() - instance.thrown(), Duration.ofMinutes(1), Duration.ofSeconds(10));
    instance.close();
    long received = sink.awaitReceived(sent - instance.dropped() - instance.thrown(), Duration.ofSeconds(30),
        Duration.ofSeconds(3));
    Outcomes.append(new Outcomes("emit", subject, benchmark.substring(benchmark.lastIndexOf('.') + 1),
        threads, false, sent, received, instance.dropped(), instance.thrown()));
    sink.close();
  }

  @Benchmark
  @Threads(1)
  public void emit1Thread(Caller caller) {
    instance.emit();
    caller.sent++;
  }

  @Benchmark
  @Threads(2)
  public void emit2Threads(Caller caller) {
    instance.emit();
    caller.sent++;
  }
}
