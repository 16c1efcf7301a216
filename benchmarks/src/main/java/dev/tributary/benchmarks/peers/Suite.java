package dev.tributary.benchmarks.peers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole side-by-side suite in one run: every available {@link Subjects subject} through every
 * measure, then {@link SuiteReport} writes {@code RESULTS.md} and {@code chart.png}.
 *
 * <ol>
 *   <li>{@code emit}: {@link PeerEmitBenchmark} (JMH, {@code -prof gc} and the {@link
 *       StealProfiler}), 1 and 2 threads, the server reading throughout (2 warm-up iterations of 2
 *       s, 3 of 3 s; with the {@link CpuProfiler} too), then with the server stalled during each
 *       iteration (20 ms iterations, so that a burst fits the 64 MiB buffer; subjects that write
 *       on the caller's thread are left out, a stalled server would block them); each of the two in
 *       {@value #EMIT_ROUNDS} rounds (every subject once per round), each number its median round;
 *   <li>{@code e2e}: {@link PeerEndToEndBenchmark} (JMH), acks on (subjects with acks) and off;
 *   <li>{@code drain}: {@link DrainRunner}, a child JVM per subject;
 *   <li>{@code stalled}: {@link StalledRunner}, a child JVM per subject;
 *   <li>{@code rss}: {@link RssProbe}, a child JVM per subject, server in this JVM.
 * </ol>
 *
 * <p>Raw results go to {@code <out>/raw/}; the report to {@code <out>/}. With {@code --subjects},
 * the run replaces only those subjects' results in the files of an earlier run (the report then
 * lists the rerun), so one subject can be measured again without the whole suite. About 30 minutes on two
 * cores ({@code --rounds 1}: about 14); {@code --quick} cuts JMH to one short iteration each, the
 * emit measures to one round and the drain to one (cold) round, for a smoke run of about 6 minutes.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tributary.benchmarks.peers.Suite \
 *     [--quick] [--subjects tributary,fluency] [--skip emit,e2e,drain,stalled,rss] [--rounds 3]
 *     [--out benchmarks/results]
 * </pre>
 */
public final class Suite {

  static final List<String> MEASURES = List.of("emit", "e2e", "drain", "stalled", "rss");

  /**
   * Iteration time of the stalled emit method: a burst of the fastest subject fits its buffer. Two
   * threads of Tributary's event builder make up to 7 M calls/s with the server stalled, and the
   * record is about 240 bytes in its chunk, so 40 ms iterations filled the 64 MiB: they measured
   * callers waiting for a full buffer, and events dropped after {@code maxBlock}. 20 ms fill about
   * half.
   */
  static final int STALLED_ITERATION_MS = 20;

  /** Warm-up and measurement iterations of the stalled emit method: 0.4 s and 0.6 s of bursts. */
  static final int STALLED_WARMUPS = 20;
  static final int STALLED_ITERATIONS = 30;

  /**
   * Rounds of each emit measure: every subject in turn, then again, each number the median of its
   * rounds. On two shared cores one JVM of a subject may run a third slower than the next, and the
   * machine's slow minutes would otherwise fall on whichever subjects ran then.
   */
  static final int EMIT_ROUNDS = 3;

  private Suite() {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    boolean rerun = false;
    Integer rounds = null;
    List<Subjects.Spec> subjects = Subjects.available();
    Set<String> skip = new LinkedHashSet<>();
    Path out = Path.of("benchmarks", "results");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick":
          quick = true;
          break;
        case "--subjects":
          rerun = true;
          subjects = new ArrayList<>();
          for (String name : args[++i].split(",")) {
            subjects.add(Subjects.spec(name.trim()));
          }
          break;
        case "--skip":
          skip.addAll(Arrays.asList(args[++i].split(",")));
          break;
        case "--out":
          out = Path.of(args[++i]);
          break;
        case "--rounds":
          rounds = Integer.parseInt(args[++i]);
          if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
          }
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i]
              + "; usage: [--quick] [--subjects a,b] [--skip " + String.join(",", MEASURES)
              + "] [--rounds n] [--out dir]");
      }
    }
    for (Subjects.Spec s : Subjects.all()) {
      if (!s.available()) {
        System.out.println("left out: " + s.name() + " (" + s.missing() + ")");
      }
    }
    Path raw = out.resolve("raw");
    Files.createDirectories(raw);
    Instant started = Instant.now();
    Path outcomes = raw.resolve("outcomes.jsonl");
    if (!rerun && (!skip.contains("emit") || !skip.contains("e2e"))) {
      Files.deleteIfExists(outcomes);
    }
    // with --subjects, results replace those subjects' entries in an earlier run's files
    boolean merge = rerun;
    Set<String> ran = new LinkedHashSet<>(names(subjects));
    int emitRounds = rounds != null ? rounds : quick ? 1 : EMIT_ROUNDS;

    if (!skip.contains("emit")) {
      if (merge) {
        dropOutcomes(outcomes, Set.of("emit", "emit-stalled"), ran);
      }
      List<String> emitHeap = List.of("-Xms2g", "-Xmx2g");
      runJmh(PeerEmitBenchmark.class, names(subjects), "server", "reading", quick ? 1 : 2, quick ? 1 : 3,
          quick ? TimeValue.seconds(1) : TimeValue.seconds(2), quick ? TimeValue.seconds(1) : TimeValue.seconds(3),
          true, true, emitHeap, emitRounds, raw, "emit.json", merge);
      List<String> buffering = new ArrayList<>();
      for (Subjects.Spec s : subjects) {
        if (!s.callerWrites()) {
          buffering.add(s.name());
        }
      }
      if (!buffering.isEmpty()) {
        TimeValue stalled = TimeValue.milliseconds(STALLED_ITERATION_MS);
        runJmh(PeerEmitBenchmark.class, buffering, "server", "stalled", quick ? 3 : STALLED_WARMUPS,
            quick ? 5 : STALLED_ITERATIONS,
            stalled, stalled, true, false, emitHeap, emitRounds, raw, "emit-stalled.json", merge);
      }
    }
    if (!skip.contains("e2e")) {
      if (merge) {
        dropOutcomes(outcomes, Set.of("e2e"), ran);
      }
      List<String> withAcks = new ArrayList<>();
      for (Subjects.Spec s : subjects) {
        if (s.acks()) {
          withAcks.add(s.name());
        }
      }
      if (!withAcks.isEmpty()) {
        runJmh(PeerEndToEndBenchmark.class, withAcks, "requireAck", "true", quick ? 0 : 1, quick ? 1 : 3,
            TimeValue.seconds(1), TimeValue.seconds(1), false, false, List.of("-Xms3g", "-Xmx3g"), 1, raw,
            "e2e-ack.json", merge);
      }
      runJmh(PeerEndToEndBenchmark.class, names(subjects), "requireAck", "false", quick ? 0 : 1, quick ? 1 : 3,
          TimeValue.seconds(1), TimeValue.seconds(1), false, false, List.of("-Xms3g", "-Xmx3g"), 1, raw,
          "e2e-noack.json", merge);
    }
    if (!skip.contains("drain")) {
      List<Map<String, Object>> results = new ArrayList<>();
      for (Subjects.Spec s : subjects) {
        System.out.println("# drain: " + s.name());
        results.add(tagged(s, ChildJvm.run(List.of("-Xmx2g"), DrainRunner.class,
            List.of(s.name(), Integer.toString(DrainRunner.EVENTS), quick ? "1" : "2"), 300)));
      }
      writeResults(raw.resolve("drain.json"), results, merge ? ran : null);
    }
    if (!skip.contains("stalled")) {
      List<Map<String, Object>> results = new ArrayList<>();
      for (Subjects.Spec s : subjects) {
        System.out.println("# stalled server: " + s.name());
        results.add(tagged(s, ChildJvm.run(List.of("-Xmx1g"), StalledRunner.class, List.of(s.name()), 300)));
      }
      writeResults(raw.resolve("stalled.json"), results, merge ? ran : null);
    }
    if (!skip.contains("rss")) {
      List<Map<String, Object>> results = new ArrayList<>();
      for (Subjects.Spec s : subjects) {
        System.out.println("# peak RSS: " + s.name());
        results.add(tagged(s, rss(s)));
      }
      writeResults(raw.resolve("rss.json"), results, merge ? ran : null);
    }

    long seconds = Duration.between(started, Instant.now()).toSeconds();
    Path runFile = raw.resolve("run.json");
    Map<String, Object> run;
    if (merge && Files.exists(runFile)) {
      // a partial rerun: the run description stays the original's, and says what was rerun
      run = Outcomes.JSON.readValue(runFile.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
      List<Object> reruns = new ArrayList<>();
      if (run.get("reruns") instanceof List) {
        reruns.addAll((List<?>) run.get("reruns"));
      }
      List<String> measures = new ArrayList<>(MEASURES);
      measures.removeAll(skip);
      reruns.add(started + ": " + String.join(",", measures) + " for " + String.join(",", ran)
          + " (" + seconds + " s" + (quick ? ", quick" : "") + ", commit " + Machine.describe().get("gitCommit") + ")");
      run.put("reruns", reruns);
    } else {
      run = Machine.describe();
      run.put("started", started.toString());
      run.put("durationSeconds", seconds);
      run.put("quick", quick);
      run.put("emitRounds", emitRounds);
      run.put("subjects", names(subjects));
      List<String> leftOut = new ArrayList<>();
      for (Subjects.Spec s : Subjects.all()) {
        if (!s.available()) {
          leftOut.add(s.name() + ": " + s.missing());
        }
      }
      run.put("leftOut", leftOut);
    }
    write(runFile, run);
    SuiteReport.write(out);
    System.out.println("suite finished in " + seconds + " s; report: "
        + out.resolve("RESULTS.md") + ", chart: " + out.resolve("chart.png"));
  }

  /**
   * Runs {@code benchmark} for {@code subjects} {@code rounds} times, every subject once per round,
   * with {@code -prof gc} and the {@link StealProfiler} when {@code gc}, and the {@link CpuProfiler}
   * when {@code cpu} (the headline emit measure only: the stalled measure's server catches up inside
   * its iterations' setup, whose CPU time the profiler's readings would count). Keeps per benchmark
   * method and subject the result of its median round, with the scores of all rounds added as
   * {@code suiteRounds}.
   */
  private static void runJmh(Class<?> benchmark, List<String> subjects, String param, String value,
      int warmups, int iterations, TimeValue warmupTime, TimeValue time, boolean gc, boolean cpu, List<String> heap,
      int rounds, Path raw, String file, boolean merge) throws Exception {
    List<Path> roundFiles = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Path result = raw.resolve(file + ".round" + round);
      roundFiles.add(result);
      System.out.println("# JMH " + benchmark.getSimpleName() + " subjects=" + subjects + " " + param + "=" + value
          + " round " + round + " of " + rounds);
      List<String> jvmArgs = new ArrayList<>(heap);
      jvmArgs.add("-Dsuite.outcomes=" + raw.resolve("outcomes.jsonl").toAbsolutePath());
      ChainedOptionsBuilder b = new OptionsBuilder()
          .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
          .param("subject", subjects.toArray(new String[0]))
          .warmupIterations(warmups)
          .warmupTime(warmupTime)
          .measurementIterations(iterations)
          .measurementTime(time)
          .forks(1)
          .jvmArgsAppend(jvmArgs.toArray(new String[0]))
          .resultFormat(ResultFormatType.JSON)
          .result(result.toAbsolutePath().toString());
      b.param(param, value);
      if (gc) {
        b.addProfiler(GCProfiler.class);
        b.addProfiler(StealProfiler.class);
      }
      if (cpu) {
        b.addProfiler(CpuProfiler.class);
      }
      new Runner(b.build()).run();
    }
    Path combined = raw.resolve(merge ? file + ".rerun" : file);
    write(combined, medianRounds(roundFiles));
    for (Path f : roundFiles) {
      Files.deleteIfExists(f);
    }
    if (merge) {
      mergeJmh(raw.resolve(file), combined, new LinkedHashSet<>(subjects));
    }
  }

  /**
   * Per benchmark method and subject, the JMH result of the round with the median score (the lower
   * middle one of an even count), with every round's score in round order as {@code suiteRounds},
   * and every round's {@link StealProfiler} steal and steal-adjusted score as {@code
   * suiteRoundsSteal} and {@code suiteRoundsStealAdjusted} (null where a round has none).
   */
  static List<JsonNode> medianRounds(List<Path> roundFiles) throws IOException {
    Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
    for (Path f : roundFiles) {
      if (!Files.exists(f) || Files.size(f) == 0) {
        continue;
      }
      for (JsonNode n : Outcomes.JSON.readTree(f.toFile())) {
        String key = n.path("benchmark").asText() + "|" + n.path("params").toString();
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
      }
    }
    List<JsonNode> out = new ArrayList<>();
    for (List<JsonNode> nodes : byKey.values()) {
      List<JsonNode> sorted = new ArrayList<>(nodes);
      sorted.sort(Comparator.comparingDouble(Suite::score));
      ObjectNode median = ((ObjectNode) sorted.get((sorted.size() - 1) / 2)).deepCopy();
      ArrayNode scores = median.putArray("suiteRounds");
      ArrayNode steal = median.putArray("suiteRoundsSteal");
      ArrayNode adjusted = median.putArray("suiteRoundsStealAdjusted");
      for (JsonNode n : nodes) {
        scores.add(score(n));
        addOrNull(steal, secondary(n, StealProfiler.STEAL));
        addOrNull(adjusted, secondary(n, StealProfiler.ADJUSTED));
      }
      out.add(median);
    }
    return out;
  }

  private static double score(JsonNode jmhResult) {
    return jmhResult.path("primaryMetric").path("score").asDouble(Double.NaN);
  }

  private static void addOrNull(ArrayNode to, double v) {
    if (Double.isNaN(v)) {
      to.addNull();
    } else {
      to.add(v);
    }
  }

  /** A secondary metric's score by its label (JMH prefixes a profiler's labels with "·"), or NaN. */
  static double secondary(JsonNode jmhResult, String label) {
    JsonNode m = jmhResult.path("secondaryMetrics");
    JsonNode v = m.has(label) ? m.get(label) : m.path("\u00b7" + label);
    return v.path("score").asDouble(Double.NaN);
  }

  /** Removes the outcome lines of {@code measures} for {@code subjects}, before those are measured again. */
  private static void dropOutcomes(Path outcomes, Set<String> measures, Set<String> subjects) throws IOException {
    if (!Files.exists(outcomes)) {
      return;
    }
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(outcomes, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      Outcomes o = Outcomes.JSON.readValue(line, Outcomes.class);
      if (!(measures.contains(o.measure()) && subjects.contains(o.subject()))) {
        kept.add(line);
      }
    }
    Files.write(outcomes, kept, StandardCharsets.UTF_8);
  }

  /** Replaces {@code subjects}' entries of the JMH result file {@code into} with those of {@code rerun}. */
  private static void mergeJmh(Path into, Path rerun, Set<String> subjects) throws IOException {
    List<JsonNode> merged = new ArrayList<>();
    if (Files.exists(into)) {
      for (JsonNode n : Outcomes.JSON.readTree(into.toFile())) {
        if (!subjects.contains(n.path("params").path("subject").asText())) {
          merged.add(n);
        }
      }
    }
    if (Files.exists(rerun)) {
      Outcomes.JSON.readTree(rerun.toFile()).forEach(merged::add);
      Files.delete(rerun);
    }
    write(into, merged);
  }

  /** Writes a runner's results; with {@code replace}, only those subjects' entries of the file change. */
  private static void writeResults(Path file, List<Map<String, Object>> results, Set<String> replace)
      throws IOException {
    List<Object> all = new ArrayList<>();
    if (replace != null && Files.exists(file)) {
      for (JsonNode n : Outcomes.JSON.readTree(file.toFile())) {
        if (!replace.contains(n.path("subject").asText())) {
          all.add(n);
        }
      }
    }
    all.addAll(results);
    write(file, all);
  }

  /** Peak RSS of a child JVM sending a million events to a server in this JVM. */
  private static Map<String, Object> rss(Subjects.Spec s) {
    boolean ack = s.acks();
    try (Sink sink = s.wire() == Wire.NULL_STREAM ? null : Sink.open(s.wire(), 0)) {
      String host = sink == null ? "127.0.0.1" : sink.host();
      int port = sink == null ? 0 : sink.port();
      Map<String, Object> r = ChildJvm.run(List.of("-Xmx1g"), RssProbe.class,
          List.of(s.name(), host, Integer.toString(port), Boolean.toString(ack)), 300);
      long received;
      if (sink != null) {
        received = sink.awaitReceived(RssProbe.EVENTS, Duration.ofSeconds(30), Duration.ofSeconds(5));
      } else {
        received = r.get("localReceived") instanceof Number ? ((Number) r.get("localReceived")).longValue() : -1;
      }
      r.put("received", received);
      return r;
    }
  }

  private static Map<String, Object> tagged(Subjects.Spec s, Map<String, Object> r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("subject", s.name());
    out.putAll(r);
    return out;
  }

  private static List<String> names(List<Subjects.Spec> specs) {
    return Subjects.names(specs);
  }

  static void write(Path file, Object value) throws IOException {
    Outcomes.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
  }
}
