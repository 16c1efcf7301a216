package dev.tributary.testkit;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Waiting in tests without fixed sleeps: poll a condition until it holds or a deadline passes, and
 * check that a closed Tributary left no thread behind. Stateless and thread safe.
 *
 * <pre>{@code
 * Await.until("all delivered", Duration.ofSeconds(10), () -> tributary.metrics().delivered() == 100);
 * tributary.close();
 * Await.noTributaryThreads();
 * }</pre>
 */
public final class Await {

  private Await() {}

  /**
   * Returns once {@code condition} holds; polls every few milliseconds (not spinning: the client
   * under test needs the CPU).
   *
   * @throws AssertionError naming {@code what} when {@code timeout} passes first
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(5_000_000L);
    }
  }

  /** Names of the live threads whose name starts with {@code prefix}. */
  public static Set<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .collect(Collectors.toSet());
  }

  /**
   * Asserts, within five seconds, that no {@code tributary-*} thread is alive, apart from the
   * testkit's own ({@code tributary-testkit-*}, such as a {@link FaultProxy}'s), which belong to
   * the test rather than to the instance under test.
   */
  public static void noTributaryThreads() {
    until("tributary threads to end, alive: " + clientThreads(), Duration.ofSeconds(5),
        () -> clientThreads().isEmpty());
  }

  private static Set<String> clientThreads() {
    Set<String> alive = new HashSet<>(threadsNamed("tributary-"));
    alive.removeIf(name -> name.startsWith("tributary-testkit-"));
    return alive;
  }
}
