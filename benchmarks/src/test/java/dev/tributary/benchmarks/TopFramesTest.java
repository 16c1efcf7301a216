package dev.tributary.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.benchmarks.TopFrames.Frame;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Self and inclusive shares of a collapsed-stack profile, for the stacks through one frame. */
class TopFramesTest {

  private static final List<String> PROFILE = List.of(
      "Thread.run;Bench.emit1Thread;Tributary.emit;Encoder.write;Encoder.write 6",
      "Thread.run;Bench.emit1Thread;Tributary.emit;Clock.instant;[vdso] 3",
      "Thread.run;Bench.emit1Thread 1",
      "Thread.run;Flusher.run;Socket.write 40",
      "garbage line",
      "Thread.run;Bench.emit1Thread;Tributary.emit not-a-count");

  @Test
  void countsOnlyTheStacksThroughTheFilterFromItsFrameOnAndEachFrameOncePerStack() {
    TopFrames t = TopFrames.of(PROFILE, "emit1Thread");

    assertEquals(10, t.samples());
    assertEquals(50, t.allSamples());
    assertEquals(List.of(
            new Frame("Bench.emit1Thread", 10, 1),
            new Frame("Tributary.emit", 9, 0),
            new Frame("Encoder.write", 6, 6),
            new Frame("Clock.instant", 3, 0),
            new Frame("[vdso]", 3, 3)),
        t.byInclusive(10));
    assertEquals(List.of(
            new Frame("Encoder.write", 6, 6),
            new Frame("[vdso]", 3, 3),
            new Frame("Bench.emit1Thread", 10, 1)),
        t.bySelf(10));
    assertEquals(2, t.bySelf(2).size());
    assertEquals(3, t.byInclusive(3).size());
  }

  @Test
  void anEmptyFilterTakesEveryStack() {
    TopFrames t = TopFrames.of(PROFILE, "");

    assertEquals(50, t.samples());
    assertEquals(new Frame("Socket.write", 40, 40), t.bySelf(1).get(0));
    assertEquals(new Frame("Thread.run", 50, 0), t.byInclusive(1).get(0));
  }

  @Test
  void printsSharesOfTheFilteredSamples() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TopFrames.of(PROFILE, "emit1Thread")
        .print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "emit1Thread", 3);
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertTrue(out.startsWith("10 samples of stacks through 'emit1Thread' (of 50 in the profile)"),
        out);
    assertTrue(out.contains("    90.0%    0.0%  Tributary.emit\n"), out);
    assertTrue(out.contains("   60.0%  Encoder.write\n"), out);
    assertTrue(!out.contains("Socket.write"), out);
    assertTrue(!out.contains("Thread.run"), out);
  }
}
