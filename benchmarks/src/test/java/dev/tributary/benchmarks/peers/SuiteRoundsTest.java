package dev.tributary.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emit measures' rounds: the median round per subject and method, and losses over all rounds. */
class SuiteRoundsTest {

  /** The suite's output directory: the report reads {@code out/raw} and writes RESULTS.md here. */
  @TempDir
  Path out;

  private Path raw;

  @BeforeEach
  void rawDirectory() throws Exception {
    raw = Files.createDirectory(out.resolve("raw"));
  }

  @Test
  void eachSubjectAndMethodKeepsItsMedianRoundWithItsOwnBytesAndEveryRoundsScore() throws Exception {
    List<Path> rounds = new ArrayList<>();
    rounds.add(round(1, result("tributary", "emit1Thread", 4.0e6, 10), result("fluency", "emit1Thread", 1.5e6, 1500)));
    rounds.add(round(2, result("tributary", "emit1Thread", 3.0e6, 20), result("fluency", "emit1Thread", 1.1e6, 1600)));
    rounds.add(round(3, result("tributary", "emit1Thread", 5.0e6, 30), result("fluency", "emit1Thread", 1.3e6, 1700)));

    Suite.write(raw.resolve("emit.json"), Suite.medianRounds(rounds));
    Results r = Results.read(raw);

    SuiteReport.Metric t = r.emit.get(SuiteReport.key("tributary", "emit1Thread"));
    assertEquals(4.0e6, t.score);
    assertEquals(10, t.bytesPerOp, "B/op of the median round");
    assertEquals(List.of(4.0e6, 3.0e6, 5.0e6), boxed(t.rounds), "every round's score, in round order");
    SuiteReport.Metric f = r.emit.get(SuiteReport.key("fluency", "emit1Thread"));
    assertEquals(1.3e6, f.score);
    assertEquals(1700, f.bytesPerOp);
  }

  @Test
  void eachRoundsStealAndAdjustedScoreAreKeptInRoundOrderAndTheirMedianIsTakenApartFromTheScores()
      throws Exception {
    List<Path> rounds = new ArrayList<>();
    // the median score's round (4.0 M) is not the median adjusted round (6.0 M of 3.0 M at 50 % steal)
    rounds.add(round(1, stolen("tributary", 4.0e6, 20, 5.0e6), stolen("fluency", 1.0e6, 0, 1.0e6)));
    rounds.add(round(2, stolen("tributary", 3.0e6, 50, 6.0e6), stolen("fluency", 1.2e6, 40, 2.0e6)));
    rounds.add(round(3, stolen("tributary", 5.0e6, 0, 5.0e6), result("fluency", "emit1Thread", 1.1e6, 1500)));

    Suite.write(raw.resolve("emit.json"), Suite.medianRounds(rounds));
    Results r = Results.read(raw);

    SuiteReport.Metric t = r.emit.get(SuiteReport.key("tributary", "emit1Thread"));
    assertEquals(4.0e6, t.score, "the judged score is still the median measured round");
    assertEquals(List.of(20.0, 50.0, 0.0), boxed(t.stealRounds));
    assertEquals(List.of(5.0e6, 6.0e6, 5.0e6), boxed(t.adjustedRounds));
    assertEquals(5.0e6, SuiteReport.adjusted(t));
    SuiteReport.Metric f = r.emit.get(SuiteReport.key("fluency", "emit1Thread"));
    assertTrue(Double.isNaN(f.stealRounds[2]), "a round without the profiler has no steal");
    assertEquals(1.0e6, SuiteReport.adjusted(f), "the lower middle of the rounds that have one");
    assertEquals("; steal-adjusted: 5.00× (5.00 M vs 1.00 M), not the judged figure", SuiteReport.adjustedRatio(t, f));

    String md = report();
    assertTrue(md.contains("| tributary | 20 % (0–50) | 5.00 M | 5.00 |"), md);
    assertTrue(md.contains("| fluency | 0 % (0–40) | 1.00 M | 1.00 |"), md);
  }

  @Test
  void theStalledMeasureGetsItsStealButNoAdjustedScoreNorRatio() throws Exception {
    Suite.write(raw.resolve("emit.json"), Suite.medianRounds(List.of(
        round(1, stolen("tributary", 4.0e6, 20, 5.0e6), stolen("fluency", 1.0e6, 0, 1.0e6)))));
    // the adjusted scores a short iteration's ticks would give, which the report must not show
    Path stalled = raw.resolve("emit-stalled.json.round1");
    Files.writeString(stalled, "[" + stolen("tributary", 3.0e6, 25, 1.0e5) + "]");
    Suite.write(raw.resolve("emit-stalled.json"), Suite.medianRounds(List.of(stalled)));

    String md = report();
    String stalledPart = md.substring(md.indexOf("### Second measure"), md.indexOf("## Targets"));
    assertTrue(stalledPart.contains("| subject | 1 thread: steal | 2 threads: steal |\n|---|--:|--:|\n"
        + "| tributary | 25 % |  |\n"), stalledPart);
    assertFalse(stalledPart.contains("100 k"), stalledPart);
    assertTrue(md.contains("| tributary | 20 % | 5.00 M | 5.00 |"), md);
  }

  @Test
  void theMedianRoundsCpuTimePerCallIsTabledWithTheLibrarysTotalAndJudgedTargetsCarryTheCallersTime()
      throws Exception {
    List<Path> rounds = new ArrayList<>();
    // the median round's (4.0 M) figures are the ones reported, not those of the other rounds
    rounds.add(round(1, cpu("tributary", 3.0e6, 999, 99, 9, 9), cpu("fluency", 1.0e6, 400, 60, 40, 90)));
    rounds.add(round(2, cpu("tributary", 4.0e6, 180, 50, 10, 75), cpu("fluency", 2.0e6, 500, 50, 30, 90)));
    rounds.add(round(3, cpu("tributary", 5.0e6, 1, 1, 1, 1), cpu("fluency", 3.0e6, 600, 40, 20, 90)));
    Suite.write(raw.resolve("emit.json"), Suite.medianRounds(rounds));

    SuiteReport.Metric t = Results.read(raw).emit.get(SuiteReport.key("tributary", "emit1Thread"));
    assertEquals(List.of(180.0, 50.0, 10.0, 75.0), boxed(t.cpu), "caller, library threads, JVM, server");
    assertEquals(240.0, SuiteReport.cpuTotal(t.cpu), "the server's time is not the library's");

    String md = report();
    // Fluency's total 580 ns against Tributary's 240 ns: 2.42
    assertTrue(md.contains("| tributary | 180 | 50 | 10 | 240 | 2.42 | 75 |  |  |"), md);
    assertTrue(md.contains("| fluency | 500 | 50 | 30 | 580 | 1.00 | 90 |  |  |"), md);
    assertTrue(md.contains("the calling thread's CPU time per call: 180 ns vs 500 ns (7× needs ≤ 71 ns)"), md);
  }

  @Test
  void withoutTheCpuProfilerNoCpuTableIsWritten() throws Exception {
    Suite.write(raw.resolve("emit.json"), Suite.medianRounds(List.of(
        round(1, result("tributary", "emit1Thread", 4.0e6, 10), result("fluency", "emit1Thread", 1.0e6, 10)))));
    assertNull(Results.read(raw).emit.get(SuiteReport.key("tributary", "emit1Thread")).cpu);
    String md = report();
    assertFalse(md.contains("caller ns"), md);
    assertFalse(md.contains("CPU time per call"), md);
  }

  @Test
  void withoutStealNoStealTableIsWritten() throws Exception {
    List<Path> rounds = List.of(round(1, result("tributary", "emit1Thread", 4.0e6, 10)),
        round(2, result("tributary", "emit1Thread", 3.0e6, 10)));
    Suite.write(raw.resolve("emit.json"), Suite.medianRounds(rounds));
    String md = report();
    assertTrue(md.contains("| tributary | 3.00 M (3.00 M–4.00 M) |"), md);
    assertFalse(md.contains("steal"), md);
  }

  @Test
  void anEvenNumberOfRoundsKeepsTheLowerMiddleOne() throws Exception {
    List<Path> rounds = List.of(round(1, result("tributary", "emit2Threads", 2.0e6, 1)),
        round(2, result("tributary", "emit2Threads", 6.0e6, 2)));
    Suite.write(raw.resolve("emit.json"), Suite.medianRounds(rounds));
    assertEquals(2.0e6, Results.read(raw).emit.get(SuiteReport.key("tributary", "emit2Threads")).score);
  }

  @Test
  void lossesAddUpOverTheRoundsAndOneRoundsSurplusDoesNotHideAnothersLoss() throws Exception {
    Files.write(raw.resolve("outcomes.jsonl"), List.of(
        outcome("emit", "tributary", 1000, 1000, 0),
        outcome("emit", "tributary", 1000, 1200, 0), // duplicates after a lost ack
        outcome("emit", "tributary", 1000, 990, 10),
        outcome("emit-stalled", "tributary", 500, 400, 100)), StandardCharsets.UTF_8);
    Results r = Results.read(raw);

    Outcomes o = r.outcome("emit", "tributary", "emit1Thread", false);
    assertEquals(3000, o.sent());
    assertEquals(2990, o.received());
    assertEquals(10, o.dropped());
    assertEquals(400, r.outcome("emit-stalled", "tributary", "emit1Thread", false).received());
    assertNull(r.outcome("emit", "fluency", "emit1Thread", false));
  }

  /** RESULTS.md as the report writes it from {@code raw}. */
  private String report() throws Exception {
    SuiteReport.write(out);
    return Files.readString(out.resolve("RESULTS.md"), StandardCharsets.UTF_8);
  }

  private Path round(int n, String... results) throws Exception {
    Path f = raw.resolve("emit.json.round" + n);
    Files.writeString(f, "[" + String.join(",", results) + "]");
    return f;
  }

  /** One JMH result as its JSON output gives it, with the fields the report reads. */
  private static String result(String subject, String method, double score, double bytesPerOp) {
    return String.format(Locale.ROOT, "{\"benchmark\":\"dev.tributary.benchmarks.peers.PeerEmitBenchmark.%s\","
        + "\"params\":{\"subject\":\"%s\",\"server\":\"reading\"},\"primaryMetric\":{\"score\":%s},"
        + "\"secondaryMetrics\":{\"·gc.alloc.rate.norm\":{\"score\":%s}}}", method, subject, score, bytesPerOp);
  }

  /** A one-thread emit result with the steal profiler's two metrics, labelled as JMH labels them. */
  private static String stolen(String subject, double score, double stealPercent, double adjusted) {
    return String.format(Locale.ROOT, "{\"benchmark\":\"dev.tributary.benchmarks.peers.PeerEmitBenchmark.emit1Thread\","
        + "\"params\":{\"subject\":\"%s\",\"server\":\"reading\"},\"primaryMetric\":{\"score\":%s},"
        + "\"secondaryMetrics\":{\"\u00b7gc.alloc.rate.norm\":{\"score\":1},\"\u00b7steal\":{\"score\":%s},"
        + "\"\u00b7steal-adjusted\":{\"score\":%s}}}", subject, score, stealPercent, adjusted);
  }

  /** A one-thread emit result with the CPU profiler's four metrics, in ns per call. */
  private static String cpu(String subject, double score, double caller, double background, double jvm,
      double server) {
    return String.format(Locale.ROOT, "{\"benchmark\":\"dev.tributary.benchmarks.peers.PeerEmitBenchmark.emit1Thread\","
        + "\"params\":{\"subject\":\"%s\",\"server\":\"reading\"},\"primaryMetric\":{\"score\":%s},"
        + "\"secondaryMetrics\":{\"\u00b7cpu-caller\":{\"score\":%s},\"\u00b7cpu-background\":{\"score\":%s},"
        + "\"\u00b7cpu-jvm\":{\"score\":%s},\"\u00b7cpu-server\":{\"score\":%s}}}", subject, score, caller, background,
        jvm, server);
  }

  private static String outcome(String measure, String subject, long sent, long received, long dropped)
      throws Exception {
    return Outcomes.JSON.writeValueAsString(
        new Outcomes(measure, subject, "emit1Thread", 1, false, sent, received, dropped, 0));
  }

  private static List<Double> boxed(double[] values) {
    List<Double> out = new ArrayList<>();
    for (double v : values) {
      out.add(v);
    }
    return out;
  }
}
