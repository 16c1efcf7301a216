package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.internal.buffer.FileChunkStore;
import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file buffer with declared outputs: each output's chunk files in {@code bufferPath/<output>/},
 * kept and recovered by that output alone.
 */
class FileBufferOutputsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  /** Two forward outputs, {@code up} and {@code down}, each to its own server; every tag to both. */
  private Tributary.Builder client(ForwardServer up, ForwardServer down, TributaryListener listener) {
    return Tributary.builder().name("fbout")
        .output("up", Outputs.forward().server("127.0.0.1", up.port()))
        .output("down", Outputs.forward().server("127.0.0.1", down.port()))
        .match("**", "up", "down")
        .bufferPath(dir)
        .chunkMaxRecords(50)
        .retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(100))
        .flushInterval(Duration.ofMillis(20))
        .heartbeatType(HeartbeatType.NONE)
        .listener(listener);
  }

  private static void emitNumbered(Tributary t, int from, int to) {
    for (int i = from; i < to; i++) {
      t.emit("outputs.file", Map.of("seq", i));
    }
  }

  private static List<Long> seqs(List<ReceivedEvent> events) {
    List<Long> s = new ArrayList<>();
    for (ReceivedEvent e : events) {
      s.add((Long) e.get("seq"));
    }
    return s;
  }

  private static List<Long> range(int from, int to) {
    List<Long> l = new ArrayList<>();
    for (long i = from; i < to; i++) {
      l.add(i);
    }
    return l;
  }

  private static List<Path> chunkFiles(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tbc")).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void eachOutputKeepsItsOwnEventsInItsOwnDirectoryAndTheNextInstanceSendsThemThroughThatOutputOnly()
      throws IOException {
    try (ForwardServer up = ForwardServer.start(); ForwardServer down = ForwardServer.start()) {
      down.stop();
      // first run: "down" cannot deliver; "up" is not held back by it
      // chunks of exactly 50 records: none sealed by age while the 300 are emitted (flush() seals)
      try (Tributary t = client(up, down, TributaryListener.NONE).flushInterval(Duration.ofSeconds(10)).build()) {
        assertEquals(Set.of("tributary-files-fbout:up", "tributary-files-fbout:down"),
            Await.threadsNamed("tributary-files-fbout"), "a file store thread per output");
        emitNumbered(t, 0, 300);
        t.flush();
        up.awaitEvents(300, WAIT);
        Await.until("up delivered all", WAIT, () -> t.metrics().output("up").delivered() == 300);
        assertEquals(0, t.close(Duration.ofMillis(300)), "nothing lost at close: down's events stay on disk");
        TributaryMetrics m = t.metrics();
        Accounting.assertIdentity(m);
        assertEquals(300, m.output("down").keptOnDiskEvents());
        assertEquals(0, m.output("down").delivered());
        assertEquals(0, m.output("up").keptOnDiskEvents());
        assertEquals(300, m.keptOnDiskEvents(), "the instance's is the outputs' sum");
        assertEquals(300, m.extraCopies());
      }
      assertEquals(range(0, 300), seqs(up.events()));
      assertEquals(6, chunkFiles(dir.resolve("down")).size(), "down's six chunks of 50, in its own directory");
      assertEquals(List.of(), chunkFiles(dir.resolve("up")), "up's files deleted once acked");
      assertEquals(List.of(), chunkFiles(dir), "no chunk file in bufferPath itself");
      assertTrue(Files.exists(dir.resolve("up").resolve(FileChunkStore.LOCK_FILE)));
      assertTrue(Files.exists(dir.resolve("down").resolve(FileChunkStore.LOCK_FILE)));

      // second run: down's server is back (on another port); down sends what it kept, up sends nothing again
      try (ForwardServer back = ForwardServer.start();
           Tributary t = client(up, back, TributaryListener.NONE).build()) {
        TributaryMetrics atStart = t.metrics();
        assertEquals(300, atStart.output("down").recoveredEvents());
        assertEquals(0, atStart.output("up").recoveredEvents());
        assertEquals(300, atStart.recoveredEvents());
        back.awaitEvents(300, WAIT);
        assertEquals(range(0, 300), seqs(back.events()), "oldest first, every kept event once");
        emitNumbered(t, 300, 310);
        t.flush();
        back.awaitEvents(310, WAIT);
        up.awaitEvents(310, WAIT);
        assertEquals(0, t.close(WAIT));
        TributaryMetrics m = t.metrics();
        Accounting.assertSettled(m);
        assertEquals(310, m.output("down").delivered());
        assertEquals(10, m.output("up").delivered(), "up got only the new events");
        assertEquals(range(0, 310), seqs(up.events()), "nothing sent twice to up");
        assertEquals(range(0, 310), seqs(back.events()));
      }
      assertEquals(List.of(), chunkFiles(dir.resolve("down")));
    }
  }

  @Test
  void filesOfTheOtherLayoutAreNamedToTheListenerAndAQuarantineOutputIsRefused() throws IOException {
    try (ForwardServer down = ForwardServer.start()) {
      down.stop();
      // a run without declared outputs leaves its chunks in bufferPath itself
      try (Tributary t = Tributary.builder().name("fbout").server("127.0.0.1", down.port()).bufferPath(dir)
          .heartbeatType(HeartbeatType.NONE).listener(TributaryListener.NONE).build()) {
        emitNumbered(t, 0, 5);
        t.flush();
        t.close(Duration.ofMillis(100));
        assertEquals(5, t.metrics().keptOnDiskEvents());
      }
      assertEquals(1, chunkFiles(dir).size());
      List<String> warnings = new CopyOnWriteArrayList<>();
      TributaryListener listener = new TributaryListener() {
        @Override
        public void onWarning(String message) {
          warnings.add(message);
        }
      };
      try (Tributary t = client(down, down, listener).build()) {
        assertEquals(0, t.metrics().recoveredEvents(), "not this layout's files");
        assertEquals(1, warnings.stream().filter(w -> w.contains("1 chunk file(s) in " + dir.toAbsolutePath())
            || w.contains("1 chunk file(s) in " + dir)).count(), warnings.toString());
        t.close(Duration.ofMillis(100));
      }
      assertEquals(1, chunkFiles(dir).size(), "left where they were");

      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tributary.builder()
          .output(FileChunkStore.QUARANTINE, Outputs.forward().server("127.0.0.1", down.port()))
          .match("**", FileChunkStore.QUARANTINE).bufferPath(dir).listener(TributaryListener.NONE).build());
      assertTrue(e.getMessage().contains("quarantine"), e.getMessage());
      assertFalse(Files.exists(dir.resolve(FileChunkStore.QUARANTINE).resolve(FileChunkStore.LOCK_FILE)),
          "nothing locked");
    }
  }
}
