package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many servers, as Fluentd's out_forward handles them: chunks spread by weight, standby servers
 * that step in only while every primary is down, heartbeats and the phi accrual failure detector
 * that take a silent server out and its chunks elsewhere, and per-server metrics that show it.
 */
class ServersTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  /** Heartbeats ten times a second and a detector that gives a server up after ~1.4 s of silence. */
  private static Tributary.Builder quickHealth(Tributary.Builder b) {
    return b.heartbeatInterval(Duration.ofMillis(100)).phiThreshold(1).recoverWait(Duration.ofMillis(300))
        .connectTimeout(Duration.ofMillis(500))
        .retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(200));
  }

  private static void emit(Tributary t, int from, int to) {
    for (int i = from; i < to; i++) {
      t.emit("servers", Map.of("seq", i));
    }
    t.flush();
  }

  private static Set<Long> distinct(ForwardServer... servers) {
    Set<Long> s = new HashSet<>();
    for (ForwardServer server : servers) {
      for (ReceivedEvent e : server.events()) {
        s.add((Long) e.get("seq"));
      }
    }
    return s;
  }

  private static ServerMetrics metrics(Tributary t, int index) {
    return t.metrics().servers().get(index);
  }

  /** A listener that keeps the warnings (detached, recovered). */
  private static final class Warnings implements TributaryListener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onWarning(String message) {
      seen.add(message);
    }

    boolean any(String part) {
      return seen.stream().anyMatch(m -> m.contains(part));
    }
  }

  @Test
  void chunksFollowTheWeightsWithinFivePercentOverTenThousandChunks() {
    try (ForwardServer a = ForwardServer.start(); ForwardServer b = ForwardServer.start();
        ForwardServer c = ForwardServer.start()) {
      Tributary t = Tributary.builder()
          .server(a.host(), a.port(), 60, false).server(b.host(), b.port(), 30, false)
          .server(c.host(), c.port(), 10, false)
          .chunkMaxRecords(1).chunkMaxBytes(1024).listener(TributaryListener.NONE).build();
      try {
        emit(t, 0, 10_000);
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == 10_000);
        long[] expected = {6000, 3000, 1000};
        ForwardServer[] servers = {a, b, c};
        for (int i = 0; i < 3; i++) {
          long got = servers[i].requestCount();
          assertTrue(Math.abs(got - expected[i]) <= expected[i] / 20,
              "server " + i + " got " + got + " chunks, expected " + expected[i] + " ± 5 %");
          ServerMetrics m = metrics(t, i);
          assertEquals(got, m.chunksSent(), m.toString());
          assertEquals(got, m.chunksAcked(), m.toString());
          assertEquals(0, m.chunksFailed(), m.toString());
          assertTrue(m.connected() && m.healthy(), m.toString());
        }
        assertEquals(10_000, distinct(a, b, c).size());
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      } finally {
        t.close(Duration.ZERO);
      }
    }
  }

  @Test
  void aStandbyTakesOverWhileEveryPrimaryIsDownAndHandsBackWhenOneRecovers() {
    Warnings warnings = new Warnings();
    try (ForwardServer a = ForwardServer.start(); ForwardServer b = ForwardServer.start();
        ForwardServer standby = ForwardServer.start()) {
      Tributary t = quickHealth(Tributary.builder()
          .servers(a.host() + ":" + a.port() + ", " + b.host() + ":" + b.port() + ", "
              + standby.host() + ":" + standby.port() + " standby"))
          .chunkMaxRecords(10).listener(warnings).build();
      try {
        emit(t, 0, 100);
        Await.until("the first hundred delivered", WAIT, () -> t.metrics().delivered() == 100);
        assertEquals(0, standby.eventCount(), "no standby while the primaries are up");
        assertTrue(a.eventCount() > 0 && b.eventCount() > 0, "the primaries share");

        a.refuseConnections(true);
        b.refuseConnections(true);
        Await.until("both primaries detached", WAIT, () -> !metrics(t, 0).healthy() && !metrics(t, 1).healthy());
        assertTrue(metrics(t, 0).lastError().orElse("").startsWith("heartbeat: "), metrics(t, 0).toString());
        assertTrue(metrics(t, 0).lastErrorTime().isPresent());
        emit(t, 100, 200);
        Await.until("the second hundred delivered", WAIT, () -> t.metrics().delivered() == 200);
        assertEquals(100, standby.eventCount(), "the standby took them all");
        assertTrue(metrics(t, 2).connected() && metrics(t, 2).chunksAcked() == 10, metrics(t, 2).toString());

        a.refuseConnections(false);
        Await.until("a back after recoverWait", WAIT, () -> metrics(t, 0).healthy());
        Await.until("the listener told", WAIT, () -> warnings.any("server " + a.host() + ":" + a.port() + " recovered"));
        long aBefore = a.eventCount();
        emit(t, 200, 300);
        Await.until("the third hundred delivered", WAIT, () -> t.metrics().delivered() == 300);
        assertEquals(aBefore + 100, a.eventCount(), "back to the primary");
        assertEquals(100, standby.eventCount(), "nothing more for the standby");
        Await.until("the standby's idle connection closed", WAIT, () -> !metrics(t, 2).connected());
        assertFalse(metrics(t, 1).healthy(), "b is still down");

        assertEquals(300, distinct(a, b, standby).size());
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      } finally {
        t.close(Duration.ZERO);
      }
    }
  }

  @Test
  void aBlackHoledPrimaryIsDetachedByUdpHeartbeatsAndItsChunksAreResentElsewhere() {
    Warnings warnings = new Warnings();
    try (ForwardServer a = ForwardServer.start(); ForwardServer b = ForwardServer.start();
        FaultProxy toA = FaultProxy.start(a);
        UdpHeartbeatResponder udpA = UdpHeartbeatResponder.start(toA.port());
        UdpHeartbeatResponder udpB = UdpHeartbeatResponder.start(b.port())) {
      // acks may take a minute: only the detector can move the chunks within seconds
      Tributary t = quickHealth(Tributary.builder().server(toA.host(), toA.port()).server(b.host(), b.port()))
          .heartbeatType(HeartbeatType.UDP).ackTimeout(Duration.ofSeconds(60))
          .chunkMaxRecords(10).flushInterval(Duration.ofMillis(20)).listener(warnings).build();
      try {
        emit(t, 0, 200);
        Await.until("the first two hundred delivered", WAIT, () -> t.metrics().delivered() == 200);
        assertTrue(a.eventCount() > 0 && b.eventCount() > 0, "both take chunks");
        Await.until("heartbeats answered", WAIT, () -> udpA.answered() > 3 && udpB.answered() > 3);

        // the host behind the proxy goes dark: TCP swallowed, UDP unanswered
        toA.blackHole(true);
        udpA.silent(true);
        long start = System.nanoTime();
        emit(t, 200, 400);
        Await.until("every event delivered", WAIT, () -> t.metrics().delivered() == 400);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(seconds < 20, "moved by the detector, not the 60 s ack timeout: " + seconds + " s");
        assertEquals(400, distinct(a, b).size(), "nothing lost");

        ServerMetrics dark = metrics(t, 0);
        assertFalse(dark.healthy(), dark.toString());
        assertFalse(dark.connected(), "its connection was broken: " + dark);
        assertTrue(dark.chunksFailed() > 0, "the chunks it held were handed back: " + dark);
        assertTrue(dark.chunksSent() > dark.chunksAcked(), dark.toString());
        assertTrue(metrics(t, 1).healthy(), metrics(t, 1).toString());
        Await.until("the listener told", WAIT,
            () -> warnings.any("server " + toA.host() + ":" + toA.port() + " detached: no heartbeat for"));

        assertEquals(0, t.close(WAIT));
        TributaryMetrics m = t.metrics();
        assertTrue(a.events().size() + b.events().size() - 400 <= m.resentEvents(), m.toString());
        Accounting.assertSettled(m);
      } finally {
        t.close(Duration.ZERO);
      }
    }
  }

  @Test
  void aServerThatRefusesConnectionsIsPassedOverAndItsMetricsSayWhy() {
    try (ForwardServer down = ForwardServer.start(); ForwardServer up = ForwardServer.start()) {
      down.refuseConnections(true);
      Tributary t = Tributary.builder().server(down.host(), down.port()).server(up.host(), up.port())
          .heartbeatType(HeartbeatType.NONE).chunkMaxRecords(10)
          .retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(100))
          .listener(TributaryListener.NONE).build();
      try {
        emit(t, 0, 100);
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == 100);
        assertEquals(100, up.eventCount());
        ServerMetrics d = metrics(t, 0);
        assertEquals(down.host() + ":" + down.port(), d.server());
        assertFalse(d.connected(), d.toString());
        assertTrue(d.healthy(), "without heartbeats nobody is detached: " + d);
        assertEquals(0, d.chunksSent(), d.toString());
        assertTrue(d.chunksFailed() > 0, d.toString());
        assertTrue(d.lastError().isPresent() && d.lastErrorTime().isPresent(), d.toString());
        // the sender counts a chunk for its server after the ack settled the event counters
        Await.until("the server's counts settled", WAIT,
            () -> metrics(t, 1).chunksAcked() == up.requestCount() && metrics(t, 1).chunksSent() == up.requestCount());
        ServerMetrics u = metrics(t, 1);
        assertTrue(u.connected(), u.toString());
        assertEquals(up.requestCount(), u.chunksSent());
        assertEquals(up.requestCount(), u.chunksAcked());
        assertFalse(u.lastError().isPresent(), u.toString());
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      } finally {
        t.close(Duration.ZERO);
      }
    }
  }

  @Test
  void transportHeartbeatsConnectAndSendNothingOnTheirOwnThreadUntilClose() {
    try (ForwardServer server = ForwardServer.start()) {
      Tributary t = Tributary.builder().name("beating").server(server.host(), server.port())
          .heartbeatInterval(Duration.ofMillis(50)).listener(TributaryListener.NONE).build();
      try {
        assertEquals(Set.of("tributary-flusher-beating", "tributary-heartbeat-beating"),
            Await.tributaryThreads("beating"));
        Await.until("a few heartbeats", WAIT, () -> server.connectionCount() >= 3);
        assertEquals(0, server.requestCount(), "a heartbeat sends nothing");
        assertEquals(List.of(), server.protocolErrors());
        assertTrue(metrics(t, 0).healthy());
      } finally {
        t.close();
      }
      Await.noTributaryThreads(t);
      Tributary quiet = Tributary.builder().name("quiet").server(server.host(), server.port())
          .heartbeatType(HeartbeatType.NONE).listener(TributaryListener.NONE).build();
      try {
        assertEquals(Set.of("tributary-flusher-quiet"), Await.tributaryThreads("quiet"), "no heartbeat, no thread");
      } finally {
        quiet.close();
      }
    }
  }
}
