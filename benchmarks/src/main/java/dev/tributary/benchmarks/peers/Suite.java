package dev.tributary.benchmarks.peers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 *   <li>{@code emit}: {@link PeerEmitBenchmark} (JMH, {@code -prof gc}), 1 and 2 threads, the
 *       server reading throughout (2 warm-up iterations of 2 s, 3 of 3 s), then with the server stalled during each
 *       iteration (40 ms iterations, so that a burst fits the 64 MiB buffer; subjects that write
 *       on the caller's thread are left out, a stalled server would block them);
 *   <li>{@code e2e}: {@link PeerEndToEndBenchmark} (JMH), acks on (subjects with acks) and off;
 *   <li>{@code drain}: {@link DrainRunner}, a child JVM per subject;
 *   <li>{@code stalled}: {@link StalledRunner}, a child JVM per subject;
 *   <li>{@code rss}: {@link RssProbe}, a child JVM per subject, server in this JVM.
 * </ol>
 *
 * <p>Raw results go to {@code <out>/raw/}; the report to {@code <out>/}. With {@code --subjects},
 * the run replaces only those subjects' results in the files of an earlier run (the report then
 * lists the rerun), so one subject can be measured again without the whole suite. About 14 minutes on two
 * cores; {@code --quick} cuts JMH to one short iteration each and the drain to one (cold) round,
 * for a smoke run of about 6 minutes.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tributary.benchmarks.peers.Suite \
 *     [--quick] [--subjects tributary,fluency] [--skip emit,e2e,drain,stalled,rss] [--out benchmarks/results]
 * </pre>
 */
public final class Suite {

  static final List<String> MEASURES = List.of("emit", "e2e", "drain", "stalled", "rss");

  /** Iteration time of the stalled emit method: a burst of the fastest subject fits its buffer. */
  static final int STALLED_ITERATION_MS = 40;

  private Suite() {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    boolean rerun = false;
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
        default:
          throw new IllegalArgumentException("unknown argument " + args[i]
              + "; usage: [--quick] [--subjects a,b] [--skip " + String.join(",", MEASURES) + "] [--out dir]");
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

    if (!skip.contains("emit")) {
      List<String> emitHeap = List.of("-Xms2g", "-Xmx2g");
      runJmh(PeerEmitBenchmark.class, names(subjects), "server", "reading", quick ? 1 : 2, quick ? 1 : 3,
          quick ? TimeValue.seconds(1) : TimeValue.seconds(2), quick ? TimeValue.seconds(1) : TimeValue.seconds(3),
          true, emitHeap, outcomes, raw, "emit.json", merge);
      List<String> buffering = new ArrayList<>();
      for (Subjects.Spec s : subjects) {
        if (!s.callerWrites()) {
          buffering.add(s.name());
        }
      }
      if (!buffering.isEmpty()) {
        TimeValue stalled = TimeValue.milliseconds(STALLED_ITERATION_MS);
        runJmh(PeerEmitBenchmark.class, buffering, "server", "stalled", quick ? 3 : 10, quick ? 5 : 15,
            stalled, stalled, true, emitHeap, outcomes, raw, "emit-stalled.json", merge);
      }
    }
    if (!skip.contains("e2e")) {
      List<String> withAcks = new ArrayList<>();
      for (Subjects.Spec s : subjects) {
        if (s.acks()) {
          withAcks.add(s.name());
        }
      }
      if (!withAcks.isEmpty()) {
        runJmh(PeerEndToEndBenchmark.class, withAcks, "requireAck", "true", quick ? 0 : 1, quick ? 1 : 3,
            TimeValue.seconds(1), TimeValue.seconds(1), false, List.of("-Xms3g", "-Xmx3g"), outcomes, raw,
            "e2e-ack.json", merge);
      }
      runJmh(PeerEndToEndBenchmark.class, names(subjects), "requireAck", "false", quick ? 0 : 1, quick ? 1 : 3,
          TimeValue.seconds(1), TimeValue.seconds(1), false, List.of("-Xms3g", "-Xmx3g"), outcomes, raw,
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
          + " (" + seconds + " s" + (quick ? ", quick" : "") + ")");
      run.put("reruns", reruns);
    } else {
      run = Machine.describe();
      run.put("started", started.toString());
      run.put("durationSeconds", seconds);
      run.put("quick", quick);
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

  private static void runJmh(Class<?> benchmark, List<String> subjects, String param, String value,
      int warmups, int iterations, TimeValue warmupTime, TimeValue time, boolean gc, List<String> heap, Path outcomes, Path raw,
      String file, boolean merge) throws Exception {
    Path result = raw.resolve(merge ? file + ".rerun" : file);
    System.out.println("# JMH " + benchmark.getSimpleName() + " subjects=" + subjects + " " + param + "=" + value);
    List<String> jvmArgs = new ArrayList<>(heap);
    jvmArgs.add("-Dsuite.outcomes=" + outcomes.toAbsolutePath());
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
    }
    new Runner(b.build()).run();
    if (merge) {
      mergeJmh(raw.resolve(file), result, new LinkedHashSet<>(subjects));
    }
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
