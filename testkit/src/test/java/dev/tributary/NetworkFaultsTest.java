package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.FaultProxy;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The network between Tributary and its aggregators fails in every way a {@link FaultProxy} can
 * play while events keep coming: half-open peers, resets mid-request, a slow link, a partition,
 * every server down, a server restarted elsewhere. Each time: no event lost, duplicates only from
 * counted resends, the accounting identity exact, no caller held past {@code maxBlock}, and no
 * thread or connection left after close.
 */
class NetworkFaultsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration MAX_BLOCK = Duration.ofMillis(100);
  private static final String TEXT = "n".repeat(100);

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private static Tributary.Builder client(FaultProxy... proxies) {
    Tributary.Builder b = Tributary.builder()
        .ackTimeout(Duration.ofMillis(500)).writeTimeout(Duration.ofMillis(500))
        .connectTimeout(Duration.ofMillis(500))
        .retryInitialBackoff(Duration.ofMillis(20)).retryMaxBackoff(Duration.ofMillis(200))
        .flushInterval(Duration.ofMillis(20)).maxBlock(MAX_BLOCK)
        .listener(TributaryListener.NONE);
    for (FaultProxy p : proxies) {
      b.server(p.host(), p.port());
    }
    return b;
  }

  /**
   * Emits {@code total} numbered events at an application's pace (a few thousand a second) while
   * {@code script} is run once a third of them are out; returns the slowest call.
   */
  private static long emitWhile(Tributary t, int total, Runnable script) {
    long slowest = 0;
    for (int i = 0; i < total; i++) {
      if (i == total / 3) {
        script.run();
      }
      long start = System.nanoTime();
      t.emit("net", Map.of("seq", i, "text", TEXT));
      slowest = Math.max(slowest, System.nanoTime() - start);
      if (i % 20 == 0) {
        LockSupport.parkNanos(1_000_000L); // pacing, not synchronisation
      }
    }
    t.flush();
    return slowest;
  }

  private static Set<Long> distinct(List<ReceivedEvent> events) {
    Set<Long> s = new HashSet<>();
    for (ReceivedEvent e : events) {
      s.add((Long) e.get("seq"));
    }
    return s;
  }

  private static List<ReceivedEvent> all(ForwardServer... servers) {
    List<ReceivedEvent> l = new ArrayList<>();
    for (ForwardServer s : servers) {
      l.addAll(s.events());
    }
    return l;
  }

  /** The checks every fault ends with. */
  private static void assertNothingLost(Tributary t, int total, long slowest, ForwardServer... servers) {
    assertNothingLost(t, total, slowest, () -> { }, servers);
  }

  /** {@code afterClose} clears what the fault itself left behind, before the leak check. */
  private static void assertNothingLost(Tributary t, int total, long slowest, Runnable afterClose,
      ForwardServer... servers) {
    Await.until("all " + total + " distinct events", WAIT, () -> distinct(all(servers)).size() == total);
    Await.until("all delivered", WAIT, () -> t.metrics().delivered() == total);
    assertEquals(0, t.close(WAIT));
    TributaryMetrics m = t.metrics();
    long duplicates = all(servers).size() - total;
    assertTrue(duplicates <= m.resentEvents(), duplicates + " duplicates, " + m.resentEvents() + " resent");
    assertEquals(0, m.droppedTotal(), m.toString());
    assertEquals(0, m.failedTotal(), m.toString());
    Accounting.assertSettled(m);
    assertTrue(slowest < MAX_BLOCK.toNanos() + TimeUnit.SECONDS.toNanos(1),
        "slowest emit " + slowest / 1_000_000 + " ms");
    afterClose.run();
    for (ForwardServer s : servers) {
      Await.until("no connection left open", WAIT, () -> s.openConnections() == 0);
    }
  }

  private static void run(int total, Consumer<FaultProxy> fault, Consumer<FaultProxy> heal) {
    run(total, fault, heal, p -> { });
  }

  private static void run(int total, Consumer<FaultProxy> fault, Consumer<FaultProxy> heal,
      Consumer<FaultProxy> afterClose) {
    try (ForwardServer server = ForwardServer.start(); FaultProxy proxy = FaultProxy.start(server)) {
      Tributary t = client(proxy).build();
      try {
        long slowest = emitWhile(t, total, () -> fault.accept(proxy));
        Await.until("the fault noticed", WAIT, () -> t.metrics().retries() > 0);
        heal.accept(proxy);
        assertNothingLost(t, total, slowest, () -> afterClose.accept(proxy), server);
      } finally {
        t.close(Duration.ZERO);
      }
    }
  }

  @Test
  void aHalfOpenPeerThatReadsButNeverAnswers() {
    run(3000, p -> p.blackHole(true), p -> p.blackHole(false));
  }

  @Test
  void aResetInTheMiddleOfARequest() {
    run(3000, p -> p.resetAfterBytes(50_000), FaultProxy::clearFaults);
  }

  @Test
  void aSlowLinkBacksUpWritesWithoutHoldingCallers() {
    try (ForwardServer server = ForwardServer.start();
        FaultProxy proxy = FaultProxy.builder(server.address()).receiveBufferSize(8192).build()) {
      Tributary t = client(proxy).build();
      try {
        String big = "s".repeat(2000);
        long slowest = 0;
        proxy.throttle(1024);
        for (int i = 0; i < 2000; i++) {
          long start = System.nanoTime();
          t.emit("net", Map.of("seq", i, "text", big));
          slowest = Math.max(slowest, System.nanoTime() - start);
        }
        t.flush();
        Await.until("a write stalled past writeTimeout", WAIT, () -> t.metrics().retries() > 0);
        proxy.clearFaults();
        assertNothingLost(t, 2000, slowest, server);
      } finally {
        t.close(Duration.ZERO);
      }
    }
  }

  @Test
  void aPartitionThenHeal() {
    // connections hung by the partition stay open on the proxy's side until it resets them
    run(3000, FaultProxy::partition, FaultProxy::heal, p -> {
      p.refuseConnections(true);
      p.refuseConnections(false);
    });
  }

  @Test
  void everyServerDownThenBack() {
    try (ForwardServer a = ForwardServer.start(); ForwardServer b = ForwardServer.start();
        FaultProxy pa = FaultProxy.start(a); FaultProxy pb = FaultProxy.start(b)) {
      Tributary t = client(pa, pb).build();
      try {
        long slowest = emitWhile(t, 3000, () -> {
          pa.refuseConnections(true);
          pb.refuseConnections(true);
        });
        Await.until("connections refused", WAIT, () -> t.metrics().retries() > 5);
        pb.refuseConnections(false);
        pa.refuseConnections(false);
        assertNothingLost(t, 3000, slowest, a, b);
      } finally {
        t.close(Duration.ZERO);
      }
    }
  }

  @Test
  void aServerRestartedElsewhereUnderLoad() {
    try (ForwardServer first = ForwardServer.start(); ForwardServer second = ForwardServer.start();
        FaultProxy proxy = FaultProxy.start(first)) {
      Tributary t = client(proxy).build();
      try {
        long slowest = emitWhile(t, 5000, () -> {
          proxy.retarget(second.address());
          first.refuseConnections(true); // the old process is gone: its connections reset
        });
        assertNothingLost(t, 5000, slowest, first, second);
        assertTrue(second.eventCount() > 0, "the restarted server got the rest");
      } finally {
        t.close(Duration.ZERO);
      }
    }
  }
}
