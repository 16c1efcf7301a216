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
 * with {@code -prof gc} for B/op. Every library gets the same buffer room, {@link #CAPACITY}
 * events (64 MiB for byte budgets, Tributary's default), and acks are off. Two methods, chosen by
 * {@link #server}:
 *
 * <ul>
 *   <li>{@code reading} (the headline): the receiving server keeps reading, counting and
 *       discarding, as an aggregator does, for the whole trial; the callers, the library's sender
 *       and the server share the machine's CPUs. A library whose sender is slower than its callers
 *       meets its full buffer here and is measured with it, as in production.
 *   <li>{@code stalled} (caller cost with the server's CPU excluded): the server stops reading
 *       during each measurement iteration and catches up between iterations, and every iteration
 *       starts with everything delivered. Iterations must be short enough that a burst fits the
 *       buffer (the suite runs 20 ms ones), so the score is the call's cost and not a full
 *       buffer's. Subjects that write on the caller's thread would block on the stalled socket, so
 *       this method does not apply to them (the suite leaves them out).
 * </ul>
 *
 * <p>Nothing is bought with drops unseen: the teardown prints what was sent, delivered, dropped
 * and thrown, and appends it to the file named by {@code -Dsuite.outcomes} for the report.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar PeerEmitBenchmark -prof gc -p subject=tributary,fluency -p server=reading}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class PeerEmitBenchmark {

  /** Buffer room of every subject, in events: 64 MiB at 256 B per event. */
  static final int CAPACITY = SubjectConfig.BUDGET_EVENTS;
  /**
   * Stalled method: a server stalled this long in one iteration, far past its end, has a caller
   * blocked on a full buffer (a library that blocks rather than drops): it reads again, so the
   * iteration can end, and the block is part of the score.
   */
  static final Duration STALL_LIMIT = Duration.ofSeconds(1);
  /** Events of the pre-grow burst of the stalled method: half the buffer. */
  static final int PRE_GROW = CAPACITY / 2;

  @Param({"tributary", "tributary-builder", "fluency", "fluent-logger", "tributary-logback", "more-appenders",
      "logstash-tcp", "logback-async-null", "msgpack-sync"})
  public String subject;

  /** {@code reading}: the server keeps reading; {@code stalled}: it stops during each iteration. */
  @Param({"reading", "stalled"})
  public String server;

  private Subjects.Spec spec;
  private Sink sink;
  private Subject instance;
  private boolean stallDuringIterations;
  private final List<Caller> callers = new CopyOnWriteArrayList<>();
  private String benchmark;
  private int threads;
  private long preGrown;
  /** Stalled method: when the server stopped reading (System.nanoTime()), or 0 while it reads. */
  private volatile long stalledAt;
  private volatile boolean watching;
  private Thread watchdog;
  private int resumedForBlockedCaller;

  /** One calling thread's count of calls, summed by the harness between iterations. */
  @State(Scope.Thread)
  public static class Caller {
    long sent;
    private String threadName;

    @Setup(Level.Trial)
    public void register(PeerEmitBenchmark bench) {
      synchronized (bench.callers) {
        bench.callers.add(this);
        threadName = SuiteRecord.nameCurrentThread(bench.callers.size());
      }
    }

    @TearDown(Level.Trial)
    public void restoreThreadName() {
      Thread.currentThread().setName(threadName);
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
    stallDuringIterations = server.equals("stalled");
    if (stallDuringIterations && spec.callerWrites()) {
      throw new IllegalArgumentException(subject + " writes on the caller's thread: a stalled server blocks it");
    }
    if (stallDuringIterations) {
      preGrow();
      watching = true;
      watchdog = new Thread(this::watch, "stall-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
  }

  /** Lets the server read again when a caller is blocked on a stalled server (see {@link #STALL_LIMIT}). */
  private void watch() {
    while (watching) {
      long since = stalledAt;
      if (since != 0 && System.nanoTime() - since > STALL_LIMIT.toNanos()) {
        stalledAt = 0;
        sink.stall(false);
        resumedForBlockedCaller++;
        System.out.println("\n[" + subject + "] a caller blocked on the stalled server; it reads again");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
  }

  /**
   * One burst before the first iteration, delivered and followed by a full GC, as {@code
   * EmitBenchmark} does for Tributary: a library's buffer memory (pages, chunks) is allocated
   * the first time a burst needs it, and the first young collections would copy it; in steady
   * state it is recycled. Done for every subject of the stalled method alike.
   */
  private void preGrow() {
    sink.stall(true);
    long n = PRE_GROW;
    for (int i = 0; i < n; i++) {
      instance.emit();
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

  /**
   * Stalled method: starts each iteration with everything delivered, so no iteration meets a full
   * buffer. Reading method: nothing; the trial runs on without a pause.
   */
  @Setup(Level.Iteration)
  public void drain() {
    if (!stallDuringIterations) {
      return;
    }
    stalledAt = 0;
    sink.stall(false);
    instance.flush();
    long target = sent() - instance.dropped() - instance.thrown();
    long got = sink.awaitReceived(target, Duration.ofMinutes(2), Duration.ofSeconds(15));
    if (got < target) {
      System.out.println("\n[" + subject + "] before the iteration only " + got + " of " + target
          + " events had arrived (the rest is late or lost; counted at teardown)");
    }
    sink.stall(true);
    stalledAt = System.nanoTime();
  }

  /** Closes the iteration's CPU reading before a trial's teardown closes the library and the server. */
  @TearDown(Level.Iteration)
  public void iterationEnded() {
    CpuProfiler.iterationEnded();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    if (watchdog != null) {
      watching = false;
      watchdog.join();
      if (resumedForBlockedCaller > 0) {
        System.out.println("\n[" + subject + "] the server read again " + resumedForBlockedCaller
            + " time(s) because a caller was blocked");
      }
    }
    stalledAt = 0;
    sink.stall(false);
    instance.flush();
    long sent = sent();
    sink.awaitReceived(sent - instance.dropped() - instance.thrown(), Duration.ofMinutes(1), Duration.ofSeconds(10));
    instance.close();
    long received = sink.awaitReceived(sent - instance.dropped() - instance.thrown(), Duration.ofSeconds(30),
        Duration.ofSeconds(3));
    Outcomes.append(new Outcomes(stallDuringIterations ? "emit-stalled" : "emit", subject, benchmark.substring(benchmark.lastIndexOf('.') + 1),
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
