package dev.tributary.internal.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.HeartbeatType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which server takes the next chunk, without a network: weights, standby, cooldown, full windows. */
class ServerSetTest {

  private static final long MS = 1_000_000L;
  private static final HealthSettings HEALTH =
      new HealthSettings(HeartbeatType.NONE, 1000 * MS, 16, 60_000 * MS, 10_000 * MS, 100 * MS, 1000 * MS);

  private long now = 42;

  private ServerSet set(ServerSpec... specs) {
    return new ServerSet(List.of(specs), HEALTH, () -> now, () -> { });
  }

  private static ServerSpec spec(String host, int weight, boolean standby) {
    return new ServerSpec(new ServerAddress(host, 24224), weight, standby);
  }

  /** The hosts of the next {@code n} picks, every server with room. */
  private List<String> picks(ServerSet set, int n) {
    return picks(set, n, ServerSet.ANY);
  }

  private List<String> picks(ServerSet set, int n, ServerSet.Windows room) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ServerState s = set.select(now, room);
      if (s == null) {
        l.add(null);
        continue;
      }
      set.picked(s);
      l.add(s.address().host());
    }
    return l;
  }

  private static long count(List<String> picks, String host) {
    return picks.stream().filter(host::equals).count();
  }

  @Test
  void chunksFollowTheWeightsSmoothly() {
    ServerSet set = set(spec("a", 60, false), spec("b", 30, false), spec("c", 10, false));
    List<String> p = picks(set, 1000);
    assertEquals(600, count(p, "a"));
    assertEquals(300, count(p, "b"));
    assertEquals(100, count(p, "c"));
    // smooth: never more than two in a row to a server that has 60 %
    for (int i = 0; i + 3 <= p.size(); i++) {
      assertTrue(!(p.get(i).equals(p.get(i + 1)) && p.get(i).equals(p.get(i + 2))), "three in a row at " + i + ": " + p);
    }
  }

  @Test
  void equalWeightsShareTheLoadInTurn() {
    ServerSet set = set(spec("a", 60, false), spec("b", 60, false));
    assertEquals(List.of("a", "b", "a", "b"), picks(set, 4));
  }

  @Test
  void weightZeroTakesNothingAndStandbyNothingWhilePrimariesAreUp() {
    ServerSet set = set(spec("a", 60, false), spec("zero", 0, false), spec("spare", 60, true));
    List<String> p = picks(set, 100);
    assertEquals(100, count(p, "a"));
  }

  @Test
  void standbyTakesOverOnlyWhenEveryPrimaryIsDownAndHandsBack() {
    ServerSet set = set(spec("a", 60, false), spec("b", 60, false), spec("spare", 60, true));
    ServerState a = set.all().get(0);
    ServerState b = set.all().get(1);
    a.healthy(false);
    assertEquals(10, count(picks(set, 10), "b"), "one primary left takes everything");
    set.failed(b, now);
    assertEquals(10, count(picks(set, 10), "spare"), "a detached, b's connection failed: the standby");
    a.healthy(true);
    assertEquals(10, count(picks(set, 10), "a"), "back to the primary as soon as one is usable");
    now += 100 * MS;
    List<String> p = picks(set, 10);
    assertEquals(5, count(p, "b"), "b's cooldown is over: it shares again, without credit for the pause: " + p);
  }

  @Test
  void whenNothingIsUsableEveryServerIsTriedAnyway() {
    ServerSet set = set(spec("a", 60, false), spec("spare", 60, true));
    ServerState a = set.all().get(0);
    ServerState spare = set.all().get(1);
    a.healthy(false);
    spare.healthy(false);
    List<String> p = picks(set, 4);
    assertEquals(2, count(p, "a"), "every one detached: all take turns, the standby too: " + p);
    set.failed(a, now);
    assertEquals(List.of("spare", "spare"), picks(set, 2), "those whose connection did not just fail first");
    set.failed(spare, now);
    assertEquals(2, count(picks(set, 4), "a"), "every one cooling down too: all take turns");
  }

  @Test
  void theCooldownDoublesWithEachFailureInARow() {
    ServerSet set = set(spec("a", 60, false), spec("b", 60, false));
    ServerState a = set.all().get(0);
    set.failed(a, now);
    assertTrue(a.coolingDown(now + 99 * MS));
    assertTrue(!a.coolingDown(now + 100 * MS));
    set.failed(a, now);
    assertTrue(a.coolingDown(now + 199 * MS));
    for (int i = 0; i < 40; i++) {
      set.failed(a, now);
    }
    assertTrue(a.coolingDown(now + 999 * MS));
    assertTrue(!a.coolingDown(now + 1000 * MS), "at most the maximum");
  }

  /** Windows where the named server is full and last made progress at {@code progress}. */
  private static ServerSet.Windows full(String host, long progress) {
    return new ServerSet.Windows() {
      @Override
      public boolean hasRoom(ServerState s) {
        return !s.address().host().equals(host);
      }

      @Override
      public long lastProgressNanos(ServerState s) {
        return progress;
      }
    };
  }

  @Test
  void aFullServerThatKeepsAcknowledgingIsWaitedForSoTheWeightsHold() {
    ServerSet set = set(spec("a", 60, false), spec("b", 60, false));
    assertEquals(List.of("a", "b"), picks(set, 2));
    ServerSet.Windows aBusy = full("a", now - 999 * MS);
    assertNull(set.select(now, aBusy), "a's turn: wait for a while it acknowledges");
    assertNull(set.select(now, aBusy));
    assertEquals(List.of("a", "b", "a", "b"), picks(set, 4), "then the turns go on as before");
  }

  @Test
  void aServerSilentForASecondWithAFullWindowIsPassedOverAndCatchesUpOnlyALittle() {
    ServerSet set = set(spec("a", 60, false), spec("b", 60, false));
    assertEquals(List.of("a", "b"), picks(set, 2));
    List<String> p = picks(set, 100, full("a", now - 1000 * MS));
    assertEquals(100, count(p, "b"), "a has acknowledged nothing for a second: b takes its chunks");
    List<String> after = picks(set, 2 * ServerSet.CATCH_UP + 20);
    for (int i = 0; i < ServerSet.CATCH_UP; i++) {
      assertEquals("a", after.get(i), "a catches up with the credit it kept: " + after);
    }
    List<String> rest = after.subList(ServerSet.CATCH_UP + 2, after.size());
    assertEquals(rest.size() / 2, count(rest, "a"), "then the turns alternate again: " + after);
  }

  @Test
  void whenEveryServerIsFullNobodyIsPicked() {
    ServerSet set = set(spec("a", 60, false));
    assertNull(set.select(now, full("a", now - 5000 * MS)));
  }

  @Test
  void aRecoveredServerRejoinsLevelWithTheOthersWithoutABurst() {
    ServerSet set = set(spec("a", 60, false), spec("b", 60, false));
    ServerState a = set.all().get(0);
    a.healthy(false);
    assertEquals(50, count(picks(set, 50), "b"));
    a.healthy(true);
    List<String> p = picks(set, 10);
    assertEquals(5, count(p, "a"), "a shares again, no catch-up for the time it was out: " + p);
  }
}
