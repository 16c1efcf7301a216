package dev.tributary.benchmarks.soak;

import dev.tributary.testkit.FaultProxy;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ForwardServerConfig;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Injects one fault at a time, chosen at random from a seeded {@link Random}: waits 2 to 5
 * seconds, switches a fault on in the {@link FaultProxy} or the current {@link ForwardServer},
 * holds it a few seconds, clears it, and again. The same seed gives the same faults with the same
 * parameters and durations in the same order (the timing of the events around them differs from
 * run to run). Each fault is printed as it starts.
 *
 * <p>{@link #run()} runs on one thread; {@link #stop()}, {@link #counts()} and {@link #current()}
 * may be called from any other. Owns nothing: the proxy and servers are the soak's.
 */
final class FaultInjector implements Runnable {
  /** The faults, in the order their names are printed. */
  enum Kind {
    BLACK_HOLE("black hole"),
    RESET_AFTER_BYTES("reset after bytes"),
    THROTTLE("throttle"),
    PARTITION("partition"),
    PROXY_DOWN("proxy refusing"),
    SERVER_RESTART("server restart"),
    SERVER_MOVED("server moved"),
    DROP_OVER("server drops over"),
    RESET_OVER("server resets over"),
    DENY_KEEPALIVE("deny keepalive");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The name on the command line: {@code black-hole}, {@code deny-keepalive}. */
    String option() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Kind ofOption(String option) {
      for (Kind k : values()) {
        if (k.option().equals(option)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown fault " + option + "; the faults: "
          + Arrays.stream(values()).map(Kind::option).toList());
    }
  }

  static final long THROTTLE_BYTES_PER_SECOND = 64 * 1024;
  static final int MIN_SIZE_LIMIT = 4 * 1024;
  static final int MAX_SIZE_LIMIT = 64 * 1024;

  private final Random random;
  private final List<Kind> kinds;
  private final FaultProxy proxy;
  private final Servers servers;
  private final Receipts receipts;
  private final PrintStream out;
  private final long startNanos;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class); // guarded by this
  private volatile String current = "none";

  /** @param kinds the faults to choose from (all of them in a normal run) */
  FaultInjector(long seed, List<Kind> kinds, FaultProxy proxy, Servers servers, Receipts receipts,
      PrintStream out, long startNanos) {
    this.random = new Random(seed);
    this.kinds = List.copyOf(kinds);
    this.proxy = proxy;
    this.servers = servers;
    this.receipts = receipts;
    this.out = out;
    this.startNanos = startNanos;
    for (Kind k : Kind.values()) {
      counts.put(k, 0);
    }
  }

  @Override
  public void run() {
    try {
      while (!pause(millisBetween(2_000, 5_000))) {
        Kind kind = kinds.get(random.nextInt(kinds.size()));
        inject(kind);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      current = "none";
    }
  }

  /** Ends the fault being held (it is cleared at once) and the injection. */
  void stop() {
    stop.countDown();
  }

  /** Faults injected so far, by kind. */
  synchronized Map<Kind, Integer> counts() {
    return new EnumMap<>(counts);
  }

  synchronized int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The fault being held now, or "none". */
  String current() {
    return current;
  }

  /**
   * Ends every fault the proxy and the current server may still have and resets the connections
   * a black hole or a partition left hung (the proxy keeps them until it refuses connections).
   */
  void clearAll() {
    proxy.clearFaults();
    sweep();
    ForwardServer server = servers.current();
    server.refuseConnections(false);
    server.dropRequestsOver(ForwardServerConfig.NO_SIZE_LIMIT);
    server.resetOnRequestOver(ForwardServerConfig.NO_SIZE_LIMIT);
    server.denyKeepalive(false);
  }

  private void inject(Kind kind) throws InterruptedException {
    ForwardServer server = servers.current();
    long hold;
    String detail = "";
    switch (kind) {
      case BLACK_HOLE -> {
        hold = millisBetween(3_000, 6_000);
        begin(kind, detail, hold);
        proxy.blackHole(true);
        pause(hold);
        proxy.blackHole(false);
        sweep();
      }
      case RESET_AFTER_BYTES -> {
        long bytes = between(0, 256 * 1024);
        hold = millisBetween(1_000, 3_000);
        detail = " after " + bytes + " bytes";
        begin(kind, detail, hold);
        proxy.resetAfterBytes(bytes);
        pause(hold);
        proxy.resetAfterBytes(FaultProxy.UNLIMITED);
      }
      case THROTTLE -> {
        hold = millisBetween(2_000, 5_000);
        detail = " to " + THROTTLE_BYTES_PER_SECOND / 1024 + " KiB/s";
        begin(kind, detail, hold);
        proxy.throttle(THROTTLE_BYTES_PER_SECOND);
        pause(hold);
        proxy.throttle(FaultProxy.UNLIMITED);
      }
      case PARTITION -> {
        hold = millisBetween(3_000, 6_000);
        begin(kind, detail, hold);
        proxy.partition();
        pause(hold);
        proxy.heal();
        sweep();
      }
      case PROXY_DOWN -> {
        hold = millisBetween(1_000, 5_000);
        begin(kind, detail, hold);
        proxy.refuseConnections(true);
        pause(hold);
        proxy.refuseConnections(false);
      }
      case SERVER_RESTART -> {
        hold = millisBetween(1_000, 5_000);
        detail = " on port " + server.port();
        begin(kind, detail, hold);
        server.refuseConnections(true);
        pause(hold);
        server.refuseConnections(false);
      }
      case SERVER_MOVED -> {
        hold = millisBetween(1_000, 4_000);
        detail = " from port " + server.port();
        begin(kind, detail, hold);
        server.refuseConnections(true);
        pause(hold);
        ForwardServer fresh = servers.replace();
        proxy.retarget(fresh.address());
        servers.retire(server, receipts);
      }
      case DROP_OVER -> {
        long limit = between(MIN_SIZE_LIMIT, MAX_SIZE_LIMIT);
        hold = millisBetween(2_000, 6_000);
        detail = " " + limit + " bytes";
        begin(kind, detail, hold);
        server.dropRequestsOver(limit);
        pause(hold);
        server.dropRequestsOver(ForwardServerConfig.NO_SIZE_LIMIT);
      }
      case RESET_OVER -> {
        long limit = between(MIN_SIZE_LIMIT, MAX_SIZE_LIMIT);
        hold = millisBetween(2_000, 6_000);
        detail = " " + limit + " bytes";
        begin(kind, detail, hold);
        server.resetOnRequestOver(limit);
        pause(hold);
        server.resetOnRequestOver(ForwardServerConfig.NO_SIZE_LIMIT);
      }
      case DENY_KEEPALIVE -> {
        hold = millisBetween(2_000, 5_000);
        begin(kind, detail, hold);
        server.denyKeepalive(true);
        pause(hold);
        server.denyKeepalive(false);
      }
      default -> throw new IllegalStateException("unknown fault " + kind);
    }
    current = "none";
  }

  private void begin(Kind kind, String detail, long holdMillis) {
    int n;
    synchronized (this) {
      counts.merge(kind, 1, Integer::sum);
      n = total();
    }
    current = kind.label + detail;
    out.printf("[%6.1fs] fault %d: %s%s for %.1f s%n",
        (System.nanoTime() - startNanos) / 1e9, n, kind.label, detail, holdMillis / 1000.0);
  }

  /** Resets every proxied connection once, so none that a fault left hung keeps its sockets. */
  private void sweep() {
    proxy.refuseConnections(true);
    proxy.refuseConnections(false);
  }

  /** Waits, or less if stopped; returns true if stopped. */
  private boolean pause(long millis) throws InterruptedException {
    return stop.await(millis, TimeUnit.MILLISECONDS);
  }

  private long millisBetween(long from, long to) {
    return between(from, to);
  }

  /** A number from {@code from} (inclusive) to {@code to} (exclusive), from the seeded random. */
  private long between(long from, long to) {
    return from + (long) (random.nextDouble() * (to - from));
  }
}
