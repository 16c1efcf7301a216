package dev.tributary.benchmarks;

import dev.tributary.Tributary;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.ForwardServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** What the three logging-adapter benchmarks share: the log call, the drain between iterations, the report. */
final class AdapterBenchmarks {

  /** With {@link #ARG} formatted in, exactly {@link Records#MESSAGE} (99 characters). */
  static final String SLF4J_PATTERN =
      "Order {} accepted for customer 0815: 3 items, total 99.95 EUR, shipping to warehouse B (priority)";
  static final String JUL_PATTERN =
      "Order {0} accepted for customer 0815: 3 items, total 99.95 EUR, shipping to warehouse B (priority)";
  static final String ARG = "4711";
  static final String LOGGER = "com.example.shop.OrderService";
  /** Large enough for an iteration's burst, so no call waits for memory (the caller's cost is measured). */
  static final String BUFFER = "6GiB";

  static {
    if (!SLF4J_PATTERN.replace("{}", ARG).equals(Records.MESSAGE)) {
      throw new AssertionError("the benchmark message drifted from Records.MESSAGE");
    }
  }

  private AdapterBenchmarks() {}

  /** Seals and waits until everything emitted so far is delivered, so an iteration starts drained. */
  static void drain(Tributary tributary) {
    tributary.flush();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (Records.held(tributary.metrics()) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000L);
    }
  }

  /** Prints what was delivered and lost, so a score bought with drops would show. */
  static void report(String what, Tributary tributary, long undelivered, ForwardServer server) {
    TributaryMetrics m = tributary.metrics();
    System.out.println("\n" + what + ": emitted=" + m.emitted() + " delivered=" + m.delivered() + " dropped="
        + m.droppedTotal() + " undelivered=" + undelivered
        + (server == null ? "" : " server counted=" + server.eventCount()));
  }

  static Duration closeTimeout() {
    return Duration.ofSeconds(60);
  }
}
