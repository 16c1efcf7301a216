package dev.tributary.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The machine's steal per JMH iteration, and the score with it taken out. */
class StealProfilerTest {

  @Test
  void readsTheMachineWideLineWithGuestFieldsAndSumsTheFirstEight() {
    // user nice system idle iowait irq softirq steal guest guest_nice
    assertArrayEquals(new long[] {1 + 2 + 3 + 4 + 5 + 6 + 7 + 80, 80},
        StealProfiler.cpuTimes("cpu  1 2 3 4 5 6 7 80 900 1000"));
    assertArrayEquals(new long[] {358824 + 76628 + 1054365 + 576 + 7825 + 78953, 78953},
        StealProfiler.cpuTimes("cpu  358824 0 76628 1054365 576 0 7825 78953 0 0"));
  }

  @Test
  void refusesAPerCpuLineAndALineWithoutSteal() {
    assertNull(StealProfiler.cpuTimes("cpu0 176569 0 37557 530922 170 0 3766 40044 0 0"));
    assertNull(StealProfiler.cpuTimes("cpu  1 2 3 4 5 6 7"));
  }

  @Test
  void theShareIsTheStolenPartOfAllTimeBetweenTwoReadings() {
    long[] before = StealProfiler.cpuTimes("cpu  100 0 100 100 0 0 0 100 0 0");
    long[] after = StealProfiler.cpuTimes("cpu  160 0 120 110 0 0 10 200 0 0");
    // 200 ticks passed, 100 of them stolen
    assertEquals(0.5, StealProfiler.stealShare(before, after), 1e-12);
    assertTrue(Double.isNaN(StealProfiler.stealShare(before, before)), "no time passed");
  }

  @Test
  void theAdjustedScoreDividesByTheShareNotStolenAndGivesUpNearAllStolen() {
    assertEquals(4.0e6, StealProfiler.adjusted(3.0e6, 0.25), 1e-6);
    assertEquals(3.0e6, StealProfiler.adjusted(3.0e6, 0.0), 1e-6);
    assertTrue(Double.isNaN(StealProfiler.adjusted(3.0e6, StealProfiler.MAX_ADJUSTABLE_SHARE)));
    assertTrue(Double.isNaN(StealProfiler.adjusted(3.0e6, Double.NaN)));
  }

  @Test
  void aJmhRunReportsStealAndAnAdjustedScoreNoLowerThanTheMeasuredOne() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "the machine's CPU times are Linux's /proc/stat");
    RunResult run = encode(Mode.Throughput, longEnough());
    Map<String, Result> secondary = run.getSecondaryResults();
    Result steal = secondary.get(StealProfiler.STEAL);
    assertNotNull(steal, "secondary results: " + secondary.keySet());
    assertEquals("%", steal.getScoreUnit());
    assertTrue(steal.getScore() >= 0 && steal.getScore() <= 100, "steal " + steal.getScore());
    Result adjusted = secondary.get(StealProfiler.ADJUSTED);
    assertNotNull(adjusted, "secondary results: " + secondary.keySet());
    double measured = run.getPrimaryResult().getScore();
    assertEquals(run.getPrimaryResult().getScoreUnit(), adjusted.getScoreUnit());
    assertTrue(adjusted.getScore() >= measured * (1 - 1e-9), adjusted.getScore() + " against " + measured);
    assertTrue(adjusted.getScore() <= measured / (1 - StealProfiler.MAX_ADJUSTABLE_SHARE),
        adjusted.getScore() + " against " + measured);
  }

  @Test
  void aTimePerCallRunReportsStealButNoAdjustedScore() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "the machine's CPU times are Linux's /proc/stat");
    Map<String, Result> secondary = encode(Mode.AverageTime, longEnough()).getSecondaryResults();
    assertNotNull(secondary.get(StealProfiler.STEAL), "secondary results: " + secondary.keySet());
    assertNull(secondary.get(StealProfiler.ADJUSTED), "only a throughput grows when time is given back");
  }

  @Test
  void iterationsTooShortForTheTicksGetStealButNoAdjustedScore() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "the machine's CPU times are Linux's /proc/stat");
    // 5 ms spans less than one tick a CPU: below the minimum however many CPUs the machine has
    Map<String, Result> secondary = encode(Mode.Throughput, 5).getSecondaryResults();
    assertNotNull(secondary.get(StealProfiler.STEAL), "secondary results: " + secondary.keySet());
    assertNull(secondary.get(StealProfiler.ADJUSTED), "secondary results: " + secondary.keySet());
  }

  @Test
  void whetherAnIterationIsLongEnoughDependsOnItsTimeAndTheCpus() {
    int cpus = Runtime.getRuntime().availableProcessors();
    long enough = StealProfiler.MIN_TICKS * 10 / cpus + 10;
    assertTrue(StealProfiler.longEnough(TimeValue.milliseconds(enough)), enough + " ms on " + cpus + " CPUs");
    assertFalse(StealProfiler.longEnough(TimeValue.milliseconds(5)), "5 ms on " + cpus + " CPUs");
    if (cpus < 50) {
      assertFalse(StealProfiler.longEnough(TimeValue.milliseconds(20)), "the stalled measure's 20 ms on " + cpus);
    }
  }

  /** Milliseconds in which all CPUs together pass the ticks an adjusted score needs, with a margin. */
  private static long longEnough() {
    int cpus = Runtime.getRuntime().availableProcessors();
    return StealProfiler.MIN_TICKS * 10 / cpus + 200;
  }

  /** A short in-process JMH run of the encoder benchmark (no sockets, no threads of its own) with the profiler. */
  private static RunResult encode(Mode mode, long iterationMillis) throws Exception {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include("^dev\\.tributary\\.benchmarks\\.EncodeBenchmark\\.tributaryEncoder$")
        .mode(mode)
        .timeUnit(TimeUnit.MICROSECONDS)
        .forks(0)
        .threads(1)
        .warmupIterations(0)
        .measurementIterations(2)
        .measurementTime(TimeValue.milliseconds(iterationMillis))
        .addProfiler(StealProfiler.class)
        .build()).run();
    assertEquals(1, results.size());
    return results.iterator().next();
  }
}
