package dev.tributary;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Waits on a condition with a deadline, for tests; never a fixed sleep. */
final class Await {

  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      // poll, do not spin: the machine may have two cores and the flusher needs one
      LockSupport.parkNanos(5_000_000L);
    }
  }

  static Set<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .collect(Collectors.toSet());
  }

  /** Asserts that no thread of a Tributary instance is alive (close joins them all). */
  static void noTributaryThreads() {
    until("tributary threads to end, alive: " + threadsNamed("tributary-"), Duration.ofSeconds(5),
        () -> threadsNamed("tributary-").isEmpty());
  }
}
