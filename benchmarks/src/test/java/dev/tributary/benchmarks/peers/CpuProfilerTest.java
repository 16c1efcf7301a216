package dev.tributary.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tributary.benchmarks.peers.CpuProfiler.Group;
import dev.tributary.benchmarks.peers.CpuProfiler.Snapshot;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The CPU profiler: whose thread is whose, the arithmetic, and a real emit run's figures. */
class CpuProfilerTest {

  @Test
  void threadsAreGroupedByTheirNames() {
    assertEquals(Group.CALLER, Group.of(SuiteRecord.requestThreadName(1)));
    assertEquals(Group.CALLER, Group.of(SuiteRecord.requestThreadName(12)));
    assertEquals(Group.SERVER, Group.of("forward-server-40123-conn-1"));
    assertEquals(Group.SERVER, Group.of("forward-server-40123-acks"));
    assertEquals(Group.SERVER, Group.of("line-count-server-40123-conn-2"));
    assertEquals(Group.BACKGROUND, Group.of("tributary-bench-sender-0"));
    assertEquals(Group.BACKGROUND, Group.of("http-nio-8080-acceptor"), "not a request thread");
    assertEquals(Group.BACKGROUND, Group.of(null));
  }

  @Test
  void eachThreadCountsForTheGroupItStartedInAndTheJvmGetsTheProcessTimeNoThreadAccountsFor() {
    Snapshot start = new Snapshot(10_000,
        Map.of(1L, 1_000L, 2L, 500L, 3L, 200L, 4L, 700L),
        Map.of(1L, Group.CALLER, 2L, Group.BACKGROUND, 3L, Group.SERVER, 4L, Group.BACKGROUND));
    Snapshot end = new Snapshot(20_000,
        // 1 renamed itself at the end (a trial's teardown); 4 ended; 5 started and is counted from zero
        Map.of(1L, 6_000L, 2L, 1_500L, 3L, 1_200L, 5L, 300L),
        Map.of(1L, Group.BACKGROUND, 2L, Group.BACKGROUND, 3L, Group.SERVER, 5L, Group.SERVER));

    long[] spent = CpuProfiler.spent(start, end);

    assertEquals(5_000, spent[Group.CALLER.ordinal()]);
    assertEquals(1_000, spent[Group.BACKGROUND.ordinal()]);
    assertEquals(1_300, spent[Group.SERVER.ordinal()]);
    assertEquals(10_000 - 5_000 - 1_000 - 1_300, spent[Group.JVM.ordinal()]);
  }

  @Test
  void aProcessTimeThatWentBackwardsGivesNothing() {
    Snapshot start = new Snapshot(10_000, Map.of(), Map.of());
    Snapshot end = new Snapshot(9_000, Map.of(), Map.of());
    assertNull(CpuProfiler.spent(start, end));
  }

  @Test
  void theJvmsShareIsNeverNegative() {
    // the threads' clocks and the process's are read at slightly different moments
    Snapshot start = new Snapshot(1_000, Map.of(1L, 0L), Map.of(1L, Group.CALLER));
    Snapshot end = new Snapshot(1_900, Map.of(1L, 1_000L), Map.of(1L, Group.CALLER));
    assertEquals(0, CpuProfiler.spent(start, end)[Group.JVM.ordinal()]);
  }

  @Test
  void aTasksRunTimeIsTheFirstFieldOfItsSchedstat() {
    assertEquals(123456789L, CpuProfiler.schedstatRunTime("123456789 2000 17\n"));
    assertEquals(-1, CpuProfiler.schedstatRunTime(""));
    assertEquals(-1, CpuProfiler.schedstatRunTime("n/a"));
  }

  @Test
  void anEmitRunReportsEveryGroupInEveryIterationTheLastOneIncluded() throws Exception {
    assumeTrue(ManagementFactory.getThreadMXBean().isThreadCpuTimeSupported(), "thread CPU time is readable here");
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include("^dev\\.tributary\\.benchmarks\\.peers\\.PeerEmitBenchmark\\.emit1Thread$")
        .param("subject", "tributary")
        .param("server", "reading")
        .forks(0)
        .warmupIterations(1)
        .warmupTime(TimeValue.milliseconds(300))
        .measurementIterations(2)
        .measurementTime(TimeValue.milliseconds(300))
        .addProfiler(CpuProfiler.class)
        .build()).run();
    assertEquals(1, results.size());
    RunResult run = results.iterator().next();
    List<IterationResult> iterations = new ArrayList<>();
    for (BenchmarkResult b : run.getBenchmarkResults()) {
      iterations.addAll(b.getIterationResults());
    }
    assertEquals(2, iterations.size());
    for (IterationResult it : iterations) {
      Map<String, Result> secondary = it.getSecondaryResults();
      double callsPerSecond = it.getPrimaryResult().getScore();
      double caller = score(secondary, CpuProfiler.CALLER);
      // the calling thread runs the calls: it has CPU time for each, never more than the call's wall time
      assertTrue(caller > 0, "caller " + caller + " ns in " + secondary.keySet());
      assertTrue(caller <= 1.5e9 / callsPerSecond, "caller " + caller + " ns at " + callsPerSecond + " calls/s");
      // the library's sender writes and the server reads every event
      assertTrue(score(secondary, CpuProfiler.BACKGROUND) > 0, secondary.toString());
      assertTrue(score(secondary, CpuProfiler.SERVER) > 0, secondary.toString());
      assertTrue(score(secondary, CpuProfiler.JVM) >= 0, secondary.toString());
      assertEquals("ns/op", secondary.get(CpuProfiler.CALLER).getScoreUnit());
    }
  }

  private static double score(Map<String, Result> secondary, String label) {
    Result r = secondary.get(label);
    assertNotNull(r, label + " in " + secondary.keySet());
    return r.getScore();
  }
}
