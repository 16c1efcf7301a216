package dev.tributary.benchmarks.peers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A suite run's raw results as {@link SuiteReport} reads them: JMH's JSON result files, the
 * {@link Outcomes} lines, and the runners' JSON. A missing file is a measure that was skipped.
 */
final class Results {

  /** emit, the server reading: key(subject, method) -> score and B/op. */
  final Map<String, SuiteReport.Metric> emit = new LinkedHashMap<>();
  /** emit, the server stalled during each iteration: key(subject, method) -> score and B/op. */
  final Map<String, SuiteReport.Metric> emitStalled = new LinkedHashMap<>();
  /** e2e: key(subject, requireAck) -> delivered/s and dropped/s. */
  final Map<String, SuiteReport.Metric> e2e = new LinkedHashMap<>();
  final List<Outcomes> outcomes = new ArrayList<>();
  final Map<String, JsonNode> drain = new LinkedHashMap<>();
  final Map<String, JsonNode> stalled = new LinkedHashMap<>();
  final Map<String, JsonNode> rss = new LinkedHashMap<>();
  JsonNode run;

  private Results() {}

  static Results read(Path raw) throws IOException {
    Results r = new Results();
    r.readJmh(raw.resolve("emit.json"), r.emit, false);
    r.readJmh(raw.resolve("emit-stalled.json"), r.emitStalled, false);
    r.readJmh(raw.resolve("e2e-ack.json"), r.e2e, true);
    r.readJmh(raw.resolve("e2e-noack.json"), r.e2e, true);
    r.readList(raw.resolve("drain.json"), r.drain);
    r.readList(raw.resolve("stalled.json"), r.stalled);
    r.readList(raw.resolve("rss.json"), r.rss);
    Path outcomes = raw.resolve("outcomes.jsonl");
    if (Files.exists(outcomes)) {
      for (String line : Files.readAllLines(outcomes, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          r.outcomes.add(Outcomes.JSON.readValue(line, Outcomes.class));
        }
      }
    }
    Path run = raw.resolve("run.json");
    if (Files.exists(run)) {
      r.run = Outcomes.JSON.readTree(run.toFile());
    }
    return r;
  }

  private void readJmh(Path file, Map<String, SuiteReport.Metric> into, boolean endToEnd) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return;
    }
    for (JsonNode b : Outcomes.JSON.readTree(file.toFile())) {
      String benchmark = b.path("benchmark").asText();
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      String subject = b.path("params").path("subject").asText();
      SuiteReport.Metric m = new SuiteReport.Metric();
      m.score = b.path("primaryMetric").path("score").asDouble(Double.NaN);
      m.rounds = doubles(b.path("suiteRounds"));
      m.stealRounds = doubles(b.path("suiteRoundsSteal"));
      m.adjustedRounds = doubles(b.path("suiteRoundsStealAdjusted"));
      if (m.stealRounds == null && !Double.isNaN(Suite.secondary(b, StealProfiler.STEAL))) {
        // a result not combined from rounds: its own profiler results are its one round
        m.stealRounds = new double[] {Suite.secondary(b, StealProfiler.STEAL)};
        m.adjustedRounds = new double[] {Suite.secondary(b, StealProfiler.ADJUSTED)};
      }
      m.cpu = cpu(b);
      JsonNode secondary = b.path("secondaryMetrics");
      secondary.fields().forEachRemaining(e -> {
        double v = e.getValue().path("score").asDouble(Double.NaN);
        if (e.getKey().endsWith("gc.alloc.rate.norm")) {
          m.bytesPerOp = v;
        } else if (e.getKey().equals("delivered")) {
          m.delivered = v;
        } else if (e.getKey().equals("dropped")) {
          m.dropped = v;
        }
      });
      String what = endToEnd ? b.path("params").path("requireAck").asText() : method;
      into.put(SuiteReport.key(subject, what), m);
    }
  }

  /**
   * The {@link CpuProfiler}'s results of a JMH result (the median round's, in a suite's combined
   * file), indexed by {@link CpuProfiler.Group#ordinal()}, NaN where one is missing; null when the
   * profiler did not run.
   */
  static double[] cpu(JsonNode jmhResult) {
    String[] labels = {CpuProfiler.CALLER, CpuProfiler.BACKGROUND, CpuProfiler.JVM, CpuProfiler.SERVER};
    double[] out = new double[labels.length];
    boolean any = false;
    for (int i = 0; i < labels.length; i++) {
      out[i] = Suite.secondary(jmhResult, labels[i]);
      any |= !Double.isNaN(out[i]);
    }
    return any ? out : null;
  }

  /** A JSON array of numbers (null entries as NaN), or null when there is none. */
  private static double[] doubles(JsonNode array) {
    if (!array.isArray() || array.size() == 0) {
      return null;
    }
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = array.get(i);
      out[i] = v.isNumber() ? v.asDouble() : Double.NaN;
    }
    return out;
  }

  private void readList(Path file, Map<String, JsonNode> into) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    for (JsonNode n : Outcomes.JSON.readTree(file.toFile())) {
      into.put(n.path("subject").asText(), n);
    }
  }

  /**
   * The outcome of a measure's trials for one subject and method, summed over its rounds (a rerun
   * removes the lines it replaces first), or null.
   */
  Outcomes outcome(String measure, String subject, String method, boolean ack) {
    Outcomes sum = null;
    for (Outcomes o : outcomes) {
      if (o.measure().equals(measure) && o.subject().equals(subject) && o.method().equals(method)
          && o.requireAck() == ack) {
        // what arrived of each trial, so that one trial's duplicates cannot hide another's loss
        long arrived = Math.min(o.sent(), o.received());
        sum = sum == null
            ? new Outcomes(measure, subject, method, o.threads(), ack, o.sent(), arrived, o.dropped(), o.thrown())
            : new Outcomes(measure, subject, method, o.threads(), ack, sum.sent() + o.sent(), sum.received() + arrived,
                sum.dropped() + o.dropped(), sum.thrown() + o.thrown());
      }
    }
    return sum;
  }

  /** Subjects that appear in any result, in the registry's order. */
  List<Subjects.Spec> subjects() {
    Set<String> seen = new LinkedHashSet<>();
    for (String k : emit.keySet()) {
      seen.add(k.substring(0, k.indexOf('|')));
    }
    for (String k : e2e.keySet()) {
      seen.add(k.substring(0, k.indexOf('|')));
    }
    seen.addAll(drain.keySet());
    seen.addAll(stalled.keySet());
    seen.addAll(rss.keySet());
    List<Subjects.Spec> out = new ArrayList<>();
    for (Subjects.Spec s : Subjects.all()) {
      if (seen.contains(s.name())) {
        out.add(s);
      }
    }
    return out;
  }
}
