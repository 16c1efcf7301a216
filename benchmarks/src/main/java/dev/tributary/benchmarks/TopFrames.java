package dev.tributary.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The top frames of a profile in collapsed-stack form (one line per distinct stack, its frames
 * from the root joined by {@code ;}, a space and its sample count; what {@code -prof
 * async:output=collapsed} writes): each frame's share of the samples, inclusive (the samples whose
 * stack holds it, counted once however often it recurs) and self (the samples it is the top of).
 * Only the stacks that hold a frame containing the filter count, so that a benchmark method's name
 * picks out its calling thread from the library's threads and the JVM's; and of those, only the
 * first such frame and the frames it called, so that the harness's frames below it (thread, JMH's
 * loop, reflection) do not fill the list at 100 %.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tributary.benchmarks.TopFrames collapsed-cpu.csv emit1Thread 40
 * </pre>
 *
 * {@code benchmarks/profile.sh} runs a benchmark under the profiler and then this.
 */
public final class TopFrames {

  /** A frame and its sample counts. */
  public record Frame(String name, long inclusive, long self) {}

  private final Map<String, long[]> counts = new HashMap<>();
  private long samples;
  private long allSamples;

  /** Counts the stacks of {@code lines} that hold a frame containing {@code filter} (all when empty). */
  public static TopFrames of(List<String> lines, String filter) {
    TopFrames t = new TopFrames();
    for (String line : lines) {
      t.add(line, filter);
    }
    return t;
  }

  private void add(String line, String filter) {
    int space = line.lastIndexOf(' ');
    if (space <= 0) {
      return;
    }
    long n;
    try {
      n = Long.parseLong(line.substring(space + 1).trim());
    } catch (NumberFormatException e) {
      return;
    }
    String[] frames = line.substring(0, space).split(";");
    allSamples += n;
    int from = filter.isEmpty() ? 0 : first(frames, filter);
    if (from < 0) {
      return;
    }
    samples += n;
    Set<String> seen = new HashSet<>();
    for (int i = from; i < frames.length; i++) {
      if (seen.add(frames[i])) {
        counts.computeIfAbsent(frames[i], k -> new long[2])[0] += n;
      }
    }
    counts.computeIfAbsent(frames[frames.length - 1], k -> new long[2])[1] += n;
  }

  /** The index of the first frame from the root that contains {@code filter}, or -1. */
  private static int first(String[] frames, String filter) {
    for (int i = 0; i < frames.length; i++) {
      if (frames[i].contains(filter)) {
        return i;
      }
    }
    return -1;
  }

  /** Samples of the stacks that passed the filter. */
  public long samples() {
    return samples;
  }

  /** Samples of every stack in the profile. */
  public long allSamples() {
    return allSamples;
  }

  /** The {@code top} frames with the most samples inclusive (ties by name). */
  public List<Frame> byInclusive(int top) {
    return sorted(Comparator.comparingLong(Frame::inclusive).reversed(), top);
  }

  /** The {@code top} frames with the most samples of their own (ties by name). */
  public List<Frame> bySelf(int top) {
    List<Frame> l = sorted(Comparator.comparingLong(Frame::self).reversed(), Integer.MAX_VALUE);
    l.removeIf(f -> f.self() == 0);
    return l.subList(0, Math.min(top, l.size()));
  }

  private List<Frame> sorted(Comparator<Frame> order, int top) {
    List<Frame> l = new ArrayList<>(counts.size());
    counts.forEach((name, c) -> l.add(new Frame(name, c[0], c[1])));
    l.sort(order.thenComparing(Frame::name));
    return new ArrayList<>(l.subList(0, Math.min(top, l.size())));
  }

  /** Writes both lists as percentages of {@link #samples()}. */
  public void print(PrintStream out, String filter, int top) {
    out.printf("%,d samples of stacks through '%s' (of %,d in the profile)%n", samples, filter,
        allSamples);
    if (samples == 0) {
      return;
    }
    out.println("\ninclusive    self  frame");
    for (Frame f : byInclusive(top)) {
      out.printf("%8.1f%% %6.1f%%  %s%n", percent(f.inclusive()), percent(f.self()), f.name());
    }
    out.println("\n    self  frame");
    for (Frame f : bySelf(top)) {
      out.printf("%7.1f%%  %s%n", percent(f.self()), f.name());
    }
  }

  private double percent(long n) {
    return 100.0 * n / samples;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: TopFrames <collapsed stacks> [filter] [top=30]");
      System.exit(2);
    }
    String filter = args.length > 1 ? args[1] : "";
    int top = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    of(lines, filter).print(System.out, filter, top);
  }
}
