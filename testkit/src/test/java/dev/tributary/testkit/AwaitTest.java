package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Tributary;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The thread checks look at one instance's threads, by name, not at every instance in the JVM. */
class AwaitTest {

  @Test
  void anInstanceIsCheckedByItsOwnThreadsWhileAnotherRuns() {
    try (ForwardServer server = ForwardServer.start();
        Tributary other = Tributary.builder().server(server.host(), server.port()).name("await-a-b").build()) {
      Tributary closed = Tributary.builder().server(server.host(), server.port()).name("await-a").build();
      closed.emit("app", Map.of("k", 1));
      server.awaitEvents(1, Duration.ofSeconds(10));
      assertTrue(Await.tributaryThreads("await-a").contains("tributary-flusher-await-a"));
      closed.close();

      Await.noTributaryThreads(closed);
      assertEquals(Set.of(), Await.tributaryThreads("await-a"));
      assertTrue(Await.tributaryThreads("await-a-b").contains("tributary-flusher-await-a-b"),
          "the other instance, whose name only starts the same, still runs");
      assertTrue(Await.tributaryThreads("await-a-b").stream().noneMatch(n -> n.endsWith("-await-a")));
    }
  }

  @Test
  void untilNamesWhatItWaitedFor() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> Await.until("the impossible", Duration.ofMillis(20), () -> false));
    assertEquals("timed out after PT0.02S waiting for the impossible", e.getMessage());
  }

  @Test
  void theBuilderStartsTheServer() {
    try (ForwardServer server = ForwardServer.builder().ackDelay(Duration.ZERO).build()) {
      assertTrue(server.port() > 0);
      assertEquals(0, server.config().port());
    }
  }
}
