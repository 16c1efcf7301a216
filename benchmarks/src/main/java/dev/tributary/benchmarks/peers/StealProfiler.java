package dev.tributary.benchmarks.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How much of the machine's CPU time the hypervisor gave to others during each measurement
 * iteration (Linux's {@code steal} in {@code /proc/stat}), and the iteration's score with that
 * time taken out: {@code -prof dev.tributary.benchmarks.peers.StealProfiler}.
 *
 * <p>On a virtual machine the calling thread can be "running" while its virtual CPU is not: the
 * host runs something else, the guest's clock goes on and the call looks slower. On the 2-core VM
 * the suite runs on, steal goes from 0 to over 40 % of both CPUs within seconds while a benchmark
 * runs, and a one-thread emit iteration moves with it (2.3 M calls/s at 38 % steal, 4.25 M at 0 %
 * in the same JVM). With one busy-looping thread and the other core idle it stayed at 0–3 %, with
 * two at 0–17 %: the host takes time when both virtual CPUs want to run, and how much moves with
 * the host's other work, not with the benchmark's.
 *
 * <p>Two secondary results per benchmark, averaged over the measurement iterations like the score:
 *
 * <ul>
 *   <li>{@code ·steal}: steal as a percentage of all CPU time of all CPUs (user, nice, system,
 *       idle, iowait, irq, softirq, steal) over the iteration;
 *   <li>{@code ·steal-adjusted}: for a throughput score, the iteration's score divided by the share
 *       of CPU time not stolen, what the iteration would have made had the host taken nothing.
 *       Steal is machine-wide, not the calling thread's own, so this is an estimate; the same
 *       estimate for every subject, reported beside the measured score and never in its place.
 *       Only for iterations asked to last at least {@link #MIN_TICKS} ticks.
 * </ul>
 *
 * <p>Where {@code /proc/stat} cannot be read (not Linux) it reports nothing.
 */
public final class StealProfiler implements InternalProfiler {

  static final String STEAL = "steal";
  static final String ADJUSTED = "steal-adjusted";

  private static final Path PROC_STAT = Path.of("/proc/stat");

  /** A steal share at or above this leaves too little CPU time for an adjusted score to mean anything. */
  static final double MAX_ADJUSTABLE_SHARE = 0.9;

  /**
   * The fewest clock ticks (all CPUs together; 100 a second per CPU) an iteration's measured time
   * must span for an adjusted score: a 20 ms iteration on two CPUs spans about 4, so its share
   * comes in steps of a quarter, too coarse to divide its score by. Its steal still counts towards
   * the average. Decided by the iteration time asked for, not by the ticks an iteration happened to
   * span, so that a benchmark's iterations are adjusted all or none: the ticks between the two
   * readings also cover the iteration's setup and teardown, which in the stalled-server measure
   * (catching up with the buffered events) can be many times its 20 ms.
   */
  static final long MIN_TICKS = 100;

  private long[] before;

  @Override
  public String getDescription() {
    return "the hypervisor's steal share of CPU time per iteration, and the score with it taken out";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    before = read();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long[] after = read();
    long[] start = before;
    before = null;
    if (start == null || after == null) {
      return List.of();
    }
    double share = stealShare(start, after);
    if (Double.isNaN(share)) {
      return List.of();
    }
    List<Result> out = new ArrayList<>(2);
    out.add(new ScalarResult(STEAL, 100 * share, "%", AggregationPolicy.AVG));
    double adjusted = adjusted(result.getPrimaryResult().getScore(), share);
    if (benchmarkParams.getMode() == Mode.Throughput && longEnough(iterationParams.getTime())
        && !Double.isNaN(adjusted)) {
      out.add(new ScalarResult(ADJUSTED, adjusted, result.getScoreUnit(), AggregationPolicy.AVG));
    }
    return out;
  }

  /** Whether an iteration of {@code time} spans {@link #MIN_TICKS} on this machine's CPUs. */
  static boolean longEnough(TimeValue time) {
    long ticks = time.convertTo(TimeUnit.MILLISECONDS) / 10 * Runtime.getRuntime().availableProcessors();
    return ticks >= MIN_TICKS;
  }

  /** {@code /proc/stat}'s machine-wide CPU times, as {@link #cpuTimes(String)} gives them, or null. */
  private static long[] read() {
    try {
      for (String line : Files.readAllLines(PROC_STAT, StandardCharsets.US_ASCII)) {
        if (line.startsWith("cpu ")) {
          return cpuTimes(line);
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The machine-wide line of {@code /proc/stat} ({@code cpu  user nice system idle iowait irq
   * softirq steal [guest guest_nice]}, in clock ticks) as {@code {total, steal}}, where total is
   * the sum of the first eight fields (guest time is already inside user and nice); null when the
   * line is not that line or has no steal field (kernels before 2.6.11).
   */
  static long[] cpuTimes(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 9 || !f[0].equals("cpu")) {
      return null;
    }
    long total = 0;
    for (int i = 1; i <= 8; i++) {
      long v = Long.parseLong(f[i]);
      if (v < 0) {
        return null;
      }
      total += v;
    }
    return new long[] {total, Long.parseLong(f[8])};
  }

  /** The share of CPU time stolen between two readings of {@link #cpuTimes(String)}; NaN when no time passed. */
  static double stealShare(long[] before, long[] after) {
    long total = after[0] - before[0];
    long steal = after[1] - before[1];
    if (total <= 0 || steal < 0) {
      return Double.NaN;
    }
    return Math.min(1.0, (double) steal / total);
  }

  /**
   * A throughput score with the stolen share of time taken out: {@code score / (1 - share)}; NaN
   * when the share is {@link #MAX_ADJUSTABLE_SHARE} or more, or unknown.
   */
  static double adjusted(double score, double share) {
    if (Double.isNaN(share) || share >= MAX_ADJUSTABLE_SHARE) {
      return Double.NaN;
    }
    return score / (1 - share);
  }
}
