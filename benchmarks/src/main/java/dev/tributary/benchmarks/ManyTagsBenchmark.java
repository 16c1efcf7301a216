package dev.tributary.benchmarks;

import dev.tributary.DropReason;
import dev.tributary.Outputs;
import dev.tributary.Tributary;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.ForwardServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
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
 * What {@code emit} costs when the events are spread round robin over many tags ({@code
 * app.<logger>} and per-tenant tags), with default options: a 64 MiB budget, a 200 ms flush
 * interval, and a {@link ForwardServer} that keeps up (it counts and acks, reading all the time).
 * Every tag holds an open chunk, so this measures how much of the budget open chunks pin and
 * whether the buffer runs full for it. Each iteration starts with everything delivered; the
 * iteration teardown prints the events dropped during it, so a score bought with drops is visible.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ManyTagsBenchmark -prof gc}; {@code -t 2} for
 * two calling threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class ManyTagsBenchmark {

  @Param({"1", "100", "1000", "10000"})
  public int tags;

  /**
   * {@code forward}: to the server; {@code null}: to the {@code null} output, which takes every
   * sealed chunk as delivered at once, so that no sender, ack reader or server shares the cores and
   * the score is the calling thread's own ({@code -p output=forward,null}).
   */
  @Param({"forward"})
  public String output;

  /**
   * {@code six}: the six-field record of every benchmark; {@code empty}: an empty map, so that the
   * score is what a call costs besides encoding the record (the clock, the tag, the entry's frame,
   * the append) — {@code -p record=six,empty}.
   */
  @Param({"six"})
  public String record;

  /**
   * {@code system}: the default wall clock; {@code fixed}: a clock that returns one instant, so that
   * the score leaves out reading the time ({@code -p clock=system,fixed}).
   */
  @Param({"system"})
  public String clock;

  private ForwardServer server;
  private Tributary tributary;
  private String[] names;
  private long droppedBefore;
  private long emittedBefore;
  private Map<String, Object> fields;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Tributary.Builder b = Tributary.builder();
    if (record.equals("six")) {
      fields = Records.sixFields();
    } else if (record.equals("empty")) {
      fields = new LinkedHashMap<>();
    } else {
      throw new IllegalArgumentException("record must be six or empty, was " + record);
    }
    if (clock.equals("fixed")) {
      b.clock(Clock.fixed(Instant.parse("2026-12-03T12:00:00.123456789Z"), ZoneOffset.UTC));
    } else if (!clock.equals("system")) {
      throw new IllegalArgumentException("clock must be system or fixed, was " + clock);
    }
    if (output.equals("null")) {
      b.output("discard", Outputs.nullOutput()).match("**", "discard");
    } else if (output.equals("forward")) {
      server = ForwardServer.builder().countOnly(true).build();
      b.server("127.0.0.1", server.port()).writeTimeout(Duration.ofMinutes(1));
    } else {
      throw new IllegalArgumentException("output must be forward or null, was " + output);
    }
    tributary = b.build();
    names = new String[tags];
    for (int i = 0; i < tags; i++) {
      names[i] = "app.logger" + i;
    }
  }

  /** Starts each iteration with everything delivered. */
  @Setup(Level.Iteration)
  public void drain() {
    tributary.flush();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      TributaryMetrics m = tributary.metrics();
      if (m.delivered() + m.droppedTotal() + m.failedTotal() >= m.emitted() || System.nanoTime() > deadline) {
        droppedBefore = m.droppedTotal();
        emittedBefore = m.emitted();
        break;
      }
      LockSupport.parkNanos(1_000_000L);
    }
  }

  @TearDown(Level.Iteration)
  public void reportIteration() {
    TributaryMetrics m = tributary.metrics();
    long emitted = m.emitted() - emittedBefore;
    long dropped = m.droppedTotal() - droppedBefore;
    System.out.printf("  [tags=%d: emitted %,d, dropped %,d (%.1f %%), buffer full %,d so far]%n", tags, emitted,
        dropped, emitted == 0 ? 0.0 : 100.0 * dropped / emitted, m.dropped(DropReason.BUFFER_FULL));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long undelivered = tributary.close(Duration.ofSeconds(60));
    TributaryMetrics m = tributary.metrics();
    System.out.println("\ntags=" + tags + " emitted=" + m.emitted() + " delivered=" + m.delivered() + " dropped="
        + m.dropped() + " undelivered=" + undelivered
        + (server == null ? "" : " server counted=" + server.eventCount()));
    if (server != null) {
      server.close();
    }
  }

  /**
   * Where a calling thread is in the round of tags: its own, so that with {@code -t 2} the threads
   * share nothing of the benchmark's but what they only read.
   */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Benchmark
  @Threads(1)
  public void emit(Cursor cursor) {
    int i = cursor.next;
    cursor.next = i + 1 == names.length ? 0 : i + 1;
    tributary.emit(names[i], fields);
  }
}
