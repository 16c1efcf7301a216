package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.ChildJvm;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed with {@code kill -9} while it emits to a server that is down loses nothing it
 * accepted: the next instance on the same directory delivers every event.
 */
class FileBufferKillTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Enough events that several chunks are sealed and one is open when the kill comes. */
  private static final long KILL_AFTER = 30_000;

  @TempDir
  Path dir;

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  @Test
  void everyEventEmittedBeforeAKill9IsDeliveredByTheNextInstance() throws Exception {
    long lastPrinted = -1;
    try (ForwardServer down = ForwardServer.start()) {
      down.stop();
      Process child = ChildJvm.start(Emitter.class, List.of("-Xmx256m"), dir.toString(),
          Integer.toString(down.port()));
      StringBuilder output = new StringBuilder();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String line;
        while (lastPrinted < KILL_AFTER && System.nanoTime() < deadline && (line = r.readLine()) != null) {
          output.append(line).append('\n');
          if (line.startsWith("emitted ")) {
            lastPrinted = Long.parseLong(line.substring("emitted ".length()));
          }
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ended");
      } finally {
        child.destroyForcibly();
      }
      assertTrue(lastPrinted >= KILL_AFTER, "the child emitted events before the kill:\n" + output);
    }
    try (ForwardServer server = ForwardServer.builder().countOnly(false).build();
        Tributary t = Tributary.builder().server("127.0.0.1", server.port()).bufferPath(dir)
            .heartbeatType(HeartbeatType.NONE).listener(TributaryListener.NONE).build()) {
      long last = lastPrinted;
      Await.until("every event up to " + last, WAIT, () -> missing(server.events(), last) == 0);
      Map<Long, Integer> seen = counts(server.events());
      long duplicates = 0;
      for (int n : seen.values()) {
        duplicates += n - 1;
      }
      assertEquals(0, missing(server.events(), last));
      assertTrue(t.metrics().recoveredEvents() >= last + 1, t.metrics().toString());
      // nothing was ever sent, so nothing is sent twice
      assertEquals(0, duplicates, "duplicates");
      t.close(WAIT);
      Accounting.assertSettled(t.metrics());
    }
  }

  private static Map<Long, Integer> counts(List<ReceivedEvent> events) {
    Map<Long, Integer> m = new HashMap<>();
    for (ReceivedEvent e : events) {
      m.merge((Long) e.get("seq"), 1, Integer::sum);
    }
    return m;
  }

  private static long missing(List<ReceivedEvent> events, long last) {
    Map<Long, Integer> m = counts(events);
    long missing = 0;
    for (long i = 0; i <= last; i++) {
      if (!m.containsKey(i)) {
        missing++;
      }
    }
    return missing;
  }

  /** The child: emits numbered events forever to a server that is down, printing every thousandth. */
  public static final class Emitter {
    public static void main(String[] args) {
      Tributary t = Tributary.builder().server("127.0.0.1", Integer.parseInt(args[1]))
          .bufferPath(Path.of(args[0])).chunkMaxBytes(64 * 1024).heartbeatType(HeartbeatType.NONE)
          .overflowPolicy(OverflowPolicy.BLOCK).maxBlock(Duration.ofSeconds(30))
          .listener(TributaryListener.NONE).build();
      String text = "an event with some text in it";
      for (long seq = 0; ; seq++) {
        t.emit("kill.test", Map.of("seq", seq, "text", text));
        if (seq % 1000 == 0) {
          System.out.println("emitted " + seq);
          System.out.flush();
        }
      }
    }
  }
}
