package dev.tributary.benchmarks.peers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The CPU time one operation (a log call, an emitted event) costs, split by who spends it: {@code
 * -prof dev.tributary.benchmarks.peers.CpuProfiler}. A library can make its caller's call cheap by
 * handing work to threads of its own; those threads still take CPU from the application. This
 * profiler reads the CPU time of every thread of the benchmark's JVM before and after each
 * measurement iteration and divides it by the iteration's operations.
 *
 * <p>Four secondary results, in nanoseconds of CPU time per operation, averaged over the
 * iterations like the score:
 *
 * <ul>
 *   <li>{@code ·cpu-caller}: the calling threads, named as request threads ({@link
 *       SuiteRecord#requestThreadName});
 *   <li>{@code ·cpu-background}: every other Java thread but the server's: the library's sender,
 *       flusher and timer threads (and the harness's own, which wait);
 *   <li>{@code ·cpu-jvm}: the process's CPU time not spent by any Java thread alive at the
 *       iteration's end: the garbage collector's and the JIT compiler's threads, and any thread
 *       that ended during the iteration;
 *   <li>{@code ·cpu-server}: the receiving server's threads ({@link #SERVER_PREFIXES}), in the same
 *       JVM: what an aggregator would spend on the events, on another machine in production.
 * </ul>
 *
 * <p>CPU time here is what Linux accounts to a thread while it runs ({@code
 * CLOCK_THREAD_CPUTIME_ID}, {@code CLOCK_PROCESS_CPUTIME_ID}); on a virtual machine that accounts
 * stolen time apart, it leaves steal out. The readings bracket the iteration's own setup and
 * teardown too, so the operations divided by are all of the iteration's, those of its warm-up and
 * warm-down included. Where the JVM cannot read thread CPU time it reports nothing.
 */
public final class CpuProfiler implements InternalProfiler {

  static final String CALLER = "cpu-caller";
  static final String BACKGROUND = "cpu-background";
  static final String JVM = "cpu-jvm";
  static final String SERVER = "cpu-server";

  /** Thread names of the in-process servers: the testkit's forward server and the line server. */
  static final List<String> SERVER_PREFIXES = List.of("forward-server-", "line-count-server-");

  /** Thread name of every calling thread: {@code http-nio-8080-exec-<n>}. */
  static final String CALLER_PREFIX = SuiteRecord.requestThreadName(1).replaceAll("1$", "");

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** The profiler of the iteration running in this JVM, for {@link #iterationEnded()}. */
  private static volatile CpuProfiler current;

  private Snapshot before;
  private volatile Snapshot ended;

  @Override
  public String getDescription() {
    return "CPU time per operation of the calling threads, the other Java threads, the JVM's own and the server's";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    ended = null;
    before = snapshot();
    current = this;
  }

  /**
   * Takes the iteration's closing reading now, if a profiler is measuring this JVM: for a
   * benchmark's iteration-level teardown, which JMH runs before the trial's teardown. Without it
   * the reading is taken after the last iteration's trial teardown, which closes the library and
   * the server (their threads' time would be lost with them) and renames the calling threads.
   */
  public static void iterationEnded() {
    CpuProfiler p = current;
    if (p != null && p.before != null) {
      p.ended = snapshot();
    }
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    Snapshot after = ended != null ? ended : snapshot();
    Snapshot start = before;
    before = null;
    ended = null;
    current = null;
    long ops = result.getMetadata() == null ? 0 : result.getMetadata().getAllOps();
    if (start == null || after == null || ops <= 0) {
      return List.of();
    }
    long[] spent = spent(start, after);
    if (spent == null) {
      return List.of();
    }
    List<Result> out = new ArrayList<>(4);
    out.add(perOp(CALLER, spent[Group.CALLER.ordinal()], ops));
    out.add(perOp(BACKGROUND, spent[Group.BACKGROUND.ordinal()], ops));
    out.add(perOp(JVM, spent[Group.JVM.ordinal()], ops));
    out.add(perOp(SERVER, spent[Group.SERVER.ordinal()], ops));
    return out;
  }

  private static ScalarResult perOp(String label, long nanos, long ops) {
    return new ScalarResult(label, (double) nanos / ops, "ns/op", AggregationPolicy.AVG);
  }

  /** Who spends a thread's CPU time, by the thread's name. */
  enum Group {
    CALLER, BACKGROUND, JVM, SERVER;

    static Group of(String threadName) {
      if (threadName == null) {
        return BACKGROUND;
      }
      if (threadName.startsWith(CALLER_PREFIX)) {
        return CALLER;
      }
      for (String p : SERVER_PREFIXES) {
        if (threadName.startsWith(p)) {
          return SERVER;
        }
      }
      return BACKGROUND;
    }
  }

  /** The process's CPU time and each live Java thread's, with its group, at one moment. */
  static final class Snapshot {
    final long process;
    final Map<Long, Long> cpu;
    final Map<Long, Group> group;

    Snapshot(long process, Map<Long, Long> cpu, Map<Long, Group> group) {
      this.process = process;
      this.cpu = cpu;
      this.group = group;
    }
  }

  /**
   * CPU nanoseconds spent between two snapshots, indexed by {@link Group#ordinal()}: a thread by
   * the group of its name at the start (or at the end, when it started in between, counted from
   * zero); {@link Group#JVM} is the process's time less all
   * threads'. Null when the process's time went backwards.
   */
  static long[] spent(Snapshot start, Snapshot end) {
    long process = end.process - start.process;
    if (process < 0) {
      return null;
    }
    long[] out = new long[Group.values().length];
    long threadsTotal = 0;
    for (Map.Entry<Long, Long> e : end.cpu.entrySet()) {
      long was = start.cpu.getOrDefault(e.getKey(), 0L);
      long d = Math.max(0, e.getValue() - was);
      Group g = start.group.getOrDefault(e.getKey(), end.group.get(e.getKey()));
      out[g.ordinal()] += d;
      threadsTotal += d;
    }
    out[Group.JVM.ordinal()] += Math.max(0, process - threadsTotal);
    return out;
  }

  private static Snapshot snapshot() {
    ThreadMXBean threads = THREADS;
    try {
      if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
        return null;
      }
      long process = processCpuTime();
      if (process < 0) {
        return null;
      }
      long[] ids = threads.getAllThreadIds();
      ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
      Map<Long, Long> cpu = new HashMap<>();
      Map<Long, Group> group = new HashMap<>();
      for (int i = 0; i < ids.length; i++) {
        long t = threads.getThreadCpuTime(ids[i]);
        if (t < 0 || infos[i] == null) {
          continue; // ended since the ids were read
        }
        cpu.put(ids[i], t);
        group.put(ids[i], Group.of(infos[i].getThreadName()));
      }
      return new Snapshot(process, cpu, group);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The CPU time of all the process's threads, native ones included: on Linux the sum of each
   * task's run time in {@code /proc/self/task/<tid>/schedstat} (nanoseconds; the JVM's own process
   * CPU time has the 10 ms resolution of {@code times()}), elsewhere the JVM's figure.
   */
  private static long processCpuTime() {
    Path tasks = Path.of("/proc/self/task");
    if (Files.isDirectory(tasks)) {
      long sum = 0;
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
        for (Path task : dir) {
          long run = runTime(task.resolve("schedstat"));
          if (run > 0) {
            sum += run;
          }
        }
        return sum;
      } catch (IOException | RuntimeException e) {
        // fall back to the JVM's coarser figure
      }
    }
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return -1;
  }

  /** The first field of a task's {@code schedstat} (its run time, ns), or -1 when it ended or is unreadable. */
  private static long runTime(Path schedstat) {
    try {
      return schedstatRunTime(Files.readString(schedstat, StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {@code "<run ns> <wait ns> <timeslices>"} → run ns; -1 for anything else. */
  static long schedstatRunTime(String line) {
    try {
      return Long.parseLong(line.trim().split("\\s+")[0]); // "" when blank: not a number
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
