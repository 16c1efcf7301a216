package dev.tributary.benchmarks.peers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Events per second delivered end to end, counted where they arrive: one invocation makes {@link
 * #EVENTS} calls, asks the library to flush, and waits until the server has counted them, until
 * nothing more arrives for {@link #IDLE}, or {@link #DEADLINE}. The score to read is the {@code
 * delivered} counter (events/s that arrived, never more than were sent); {@code dropped} is the
 * events/s the library dropped or threw on, by its own count. A library that drops is credited only
 * with what arrived; events that neither arrived nor were reported are in the trial's {@link
 * Outcomes} line (sent - received - dropped - thrown).
 *
 * <p>Acks on and off; subjects without acks run only with {@code requireAck=false} (the suite
 * passes the right combinations; asking a subject without acks for them fails its setup).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar PeerEndToEndBenchmark -p subject=tributary,fluency -p requireAck=true}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class PeerEndToEndBenchmark {

  static final int EVENTS = 1_000_000;
  /** Buffer room of every subject, in events: one invocation with room to spare. */
  static final int CAPACITY = 2_000_000;
  static final Duration IDLE = Duration.ofSeconds(5);
  static final Duration DEADLINE = Duration.ofMinutes(2);

  @Param({"tributary", "tributary-builder", "fluency", "fluent-logger", "tributary-logback", "more-appenders",
      "logstash-tcp", "logback-async-null", "msgpack-sync"})
  public String subject;

  @Param({"true", "false"})
  public boolean requireAck;

  private Sink sink;
  private Subject instance;
  private long sent;
  private long credited;

  /** Per-iteration counts; JMH reports each as a rate (events/s). */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Delivery {
    /** Events that arrived at the server. */
    public long delivered;
    /** Events the library reported dropping or threw on. */
    public long dropped;

    private String threadName;

    @Setup(Level.Iteration)
    public void reset() {
      delivered = 0;
      dropped = 0;
    }

    @Setup(Level.Trial)
    public void nameThread() {
      threadName = SuiteRecord.nameCurrentThread(1);
    }

    @TearDown(Level.Trial)
    public void restoreThreadName() {
      Thread.currentThread().setName(threadName);
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Subjects.Spec spec = Subjects.spec(subject);
    if (requireAck && !spec.acks()) {
      throw new IllegalArgumentException(subject + " has no acks; run it with requireAck=false");
    }
    sink = Sink.open(spec.wire(), 0);
    instance = spec.create();
    instance.start(SubjectConfig.of(sink, requireAck, CAPACITY));
  }

  @Benchmark
  public void deliver(Delivery d) {
    long droppedBefore = instance.dropped() + instance.thrown();
    for (int i = 0; i < EVENTS; i++) {
      instance.emit();
    }
    sent += EVENTS;
    instance.flush();
    long droppedNow = instance.dropped() + instance.thrown();
    long received = sink.awaitReceived(sent - droppedNow, DEADLINE, IDLE);
    // duplicates after a resend are not deliveries: never credit more than was sent
    long creditable = Math.min(received, sent);
    d.delivered += creditable - credited;
    credited = creditable;
    d.dropped += droppedNow - droppedBefore;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    instance.close();
    long received = sink.awaitReceived(sent - instance.dropped() - instance.thrown(), Duration.ofSeconds(30), IDLE);
    Outcomes.append(new Outcomes("e2e", subject, "deliver", 1, requireAck, sent, received,
        instance.dropped(), instance.thrown()));
    sink.close();
  }
}
