package dev.tributary.internal.forward;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The configured servers and which one takes the next chunk: Fluentd's load balancer, with
 * weights, standby servers and the failure detector's verdicts.
 *
 * <p><b>Which servers.</b> The chunk goes to a primary that the detector holds healthy and whose
 * last connection did not just fail (a failed connection passes a server over for a cooldown that
 * doubles with each failure in a row, reset by its next ack). Only when no primary is usable do
 * the standby servers take chunks, and the primaries take them back as soon as one is usable
 * again. When nothing is usable, every server is tried anyway, primary or standby, rather than
 * let chunks wait: first those whose cooldown has ended, detached ones included. A server of
 * weight 0 takes nothing.
 *
 * <p><b>By weight.</b> Among the usable servers, stride scheduling (a smooth weighted round robin):
 * each server has a pass value that grows by {@code 1 / weight} each time it takes a chunk, and
 * the lowest pass goes next, so 60/30/10 gives A, B, A, C, A, B, ... A server whose window of
 * unacknowledged chunks is full is waited for while it keeps acknowledging, so the weights hold
 * under load; one that has acknowledged nothing for {@value #PASS_OVER_MILLIS} ms is passed over,
 * keeping at most {@value #CATCH_UP} chunks of credit, so a black-holed server does not hold up the
 * others until the detector or the ack timeout notices. A server that joins the rotation (it
 * recovered, a standby stepped in) starts level with the others, with no credit from before.
 *
 * <p>Thread safety: {@link #select} and {@link #picked} are the flusher thread's; {@link #detach}
 * and {@link #recover} are the heartbeat thread's; notices may be taken from any thread.
 */
final class ServerSet {

  static final long PASS_OVER_MILLIS = 1000;
  static final int CATCH_UP = 16;
  private static final long STRIDE_BASE = 1L << 40;
  private static final int TIERS = 4;

  private final List<ServerState> servers;
  private final HealthSettings health;
  private final Runnable wake;
  private final ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();

  // flusher thread
  private long round;
  private long virtualTime;
  private final List<ServerState> tier = new ArrayList<>();

  ServerSet(List<ServerSpec> specs, HealthSettings health, LongSupplier nanoClock, Runnable wake) {
    List<ServerState> l = new ArrayList<>(specs.size());
    for (ServerSpec s : specs) {
      l.add(new ServerState(s, nanoClock));
    }
    this.servers = Collections.unmodifiableList(l);
    this.health = health;
    this.wake = wake;
  }

  List<ServerState> all() {
    return servers;
  }

  /** What the balance needs to know of the servers' connections. */
  interface Windows {
    /** Whether {@code s} can take a chunk now: its window has room, or it has no connection yet. */
    boolean hasRoom(ServerState s);

    /** When {@code s} last acknowledged a chunk on its open connection, or when that opened. */
    long lastProgressNanos(ServerState s);
  }

  /** Every server may take a chunk now. */
  static final Windows ANY = new Windows() {
    @Override
    public boolean hasRoom(ServerState s) {
      return true;
    }

    @Override
    public long lastProgressNanos(ServerState s) {
      return 0;
    }
  };

  /** The server the next chunk goes to, or null to wait (the usable servers' windows are full). */
  ServerState select(long nowNanos, Windows windows) {
    round++;
    candidates(nowNanos);
    // a server joining the rotation starts level with the next in line, without credit from before
    long level = virtualTime;
    boolean found = false;
    for (ServerState s : tier) {
      if (s.seenRound == round - 1 && (!found || s.pass - level < 0)) {
        level = s.pass;
        found = true;
      }
    }
    ServerState first = null;
    ServerState open = null;
    for (ServerState s : tier) {
      if (s.seenRound != round - 1) {
        s.pass = level;
      }
      s.seenRound = round;
      s.roomNow = windows.hasRoom(s);
      if (first == null || s.pass - first.pass < 0) {
        first = s;
      }
      if (s.roomNow && (open == null || s.pass - open.pass < 0)) {
        open = s;
      }
    }
    if (first == null || first.roomNow) {
      return first;
    }
    if (nowNanos - windows.lastProgressNanos(first) < PASS_OVER_MILLIS * 1_000_000L) {
      return null; // it is working through its window: wait, so that the weights hold
    }
    return open;
  }

  /** {@code s} takes the next chunk: it moves on by its stride; nobody keeps too much credit. */
  void picked(ServerState s) {
    virtualTime = s.pass;
    s.pass += stride(s);
    for (ServerState m : tier) {
      long most = CATCH_UP * stride(m);
      if (virtualTime - m.pass > most) {
        m.pass = virtualTime - most;
      }
    }
  }

  /** Whether {@code s} was among the servers taking chunks at the last {@link #select}. */
  boolean inRotation(ServerState s) {
    return s.seenRound == round;
  }

  /** A connection to {@code s} failed. */
  void failed(ServerState s, long nowNanos) {
    s.coolDown(nowNanos, health.cooldownInitialNanos(), health.cooldownMaxNanos());
  }

  /** The detector gave up on {@code s}: no more chunks, and its connection is broken. */
  void detach(ServerState s, String why) {
    s.healthy(false);
    notices.add("server " + s.address() + " detached: " + why);
    ForwardConnection c = s.connection;
    if (c != null) {
      // its unacknowledged chunks come back through takeFailed and go elsewhere
      c.fail(new dev.tributary.DeliveryException("server " + s.address() + " detached by the failure detector: "
          + why, true), ForwardConnection.End.CLOSED_HERE);
    }
    wake.run();
  }

  /** The detector holds {@code s} healthy again. */
  void recover(ServerState s, String why) {
    s.healthy(true);
    notices.add("server " + s.address() + " recovered: " + why);
    wake.run();
  }

  /** What changed in the servers' health since the last call, for the listener. */
  List<String> takeNotices() {
    if (notices.isEmpty()) {
      return List.of();
    }
    List<String> l = new ArrayList<>();
    String n;
    while ((n = notices.poll()) != null) {
      l.add(n);
    }
    return l;
  }

  /** Fills {@link #tier} with the servers that take chunks now, best kind first. */
  private void candidates(long nowNanos) {
    tier.clear();
    for (int t = 0; t < TIERS && tier.isEmpty(); t++) {
      for (ServerState s : servers) {
        if (inTier(t, s, nowNanos)) {
          tier.add(s);
        }
      }
    }
  }

  private static boolean inTier(int tier, ServerState s, long nowNanos) {
    if (s.spec.weight() == 0) {
      return false;
    }
    boolean usable = s.healthy() && !s.coolingDown(nowNanos);
    switch (tier) {
      case 0: return usable && !s.spec.standby();
      case 1: return usable && s.spec.standby();
      case 2: return !s.coolingDown(nowNanos);
      default: return true;
    }
  }

  private static long stride(ServerState s) {
    return STRIDE_BASE / s.spec.weight();
  }
}
