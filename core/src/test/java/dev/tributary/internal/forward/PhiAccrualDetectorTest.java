package dev.tributary.internal.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The phi accrual failure detector as Fluentd's out_forward computes it, driven by a fake clock:
 * every time is given, none is read.
 */
class PhiAccrualDetectorTest {

  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  /** Any start: the detector must not care where the clock stands (here past a sign change). */
  private static final long T0 = Long.MAX_VALUE - 5 * S;

  private static PhiAccrualDetector defaults() {
    return new PhiAccrualDetector(S, 16, 60 * S, 10 * S, T0);
  }

  /** Heartbeats every {@code gap} from T0 + gap to T0 + n * gap; returns the last one's time. */
  private static long beat(PhiAccrualDetector d, long gap, int n) {
    long t = T0;
    for (int i = 0; i < n; i++) {
      t += gap;
      d.heartbeat(t, true);
      assertFalse(d.check(t), "regular heartbeats never detach");
    }
    return t;
  }

  @Test
  void phiIsTheDelayPlusOneSecondOverTheMeanGapTimesLnTen() {
    PhiAccrualDetector d = defaults();
    // one seeded gap of the interval: mean = 1 s - 1 s + 1 = 1; t = 3 s - 1 s + 1 = 3
    assertEquals(3 / Math.log(10), d.phi(T0 + 3 * S), 1e-9);
    assertEquals(1 / Math.log(10), d.phi(T0 + S), 1e-9);
  }

  @Test
  void recentGapsWeighMoreInTheMean() {
    PhiAccrualDetector d = defaults();
    d.heartbeat(T0 + 3 * S, true); // gaps: 1 s (weight 1), 3 s (weight 2)
    double mean = (1.0 * 1 + 3.0 * 2) / 3 - 1 + 1;
    assertEquals((2.0 - 1 + 1) / (mean * Math.log(10)), d.phi(T0 + 5 * S), 1e-9);
  }

  @Test
  void silenceAfterRegularHeartbeatsDetachesAfterAbout37SecondsWithTheDefaults() {
    PhiAccrualDetector d = defaults();
    long last = beat(d, S, 30);
    assertFalse(d.check(last + 36 * S), "phi " + d.phi(last + 36 * S));
    assertTrue(d.available());
    assertTrue(d.check(last + 37 * S), "phi " + d.phi(last + 37 * S));
    assertFalse(d.available());
    assertEquals(0, d.samples(), "detaching empties the window");
    assertFalse(d.check(last + 38 * S), "detached once, not again");
  }

  @Test
  void aLowerThresholdDetectsSooner() {
    PhiAccrualDetector d = new PhiAccrualDetector(100 * MS, 1, 60 * S, 300 * MS, T0);
    long last = beat(d, 100 * MS, 20);
    // t = silence - 0.1 + 1 must pass ln 10 = 2.30: silence > 1.40 s
    assertFalse(d.check(last + 1_350 * MS));
    assertTrue(d.check(last + 1_450 * MS));
  }

  @Test
  void theHardTimeoutDetachesWhateverPhiSays() {
    PhiAccrualDetector d = new PhiAccrualDetector(S, 1_000_000, 60 * S, 10 * S, T0);
    long last = beat(d, S, 5);
    assertFalse(d.check(last + 60 * S));
    assertTrue(d.check(last + 60 * S + 1));
  }

  @Test
  void aDetachedServerComesBackAfterRecoverWaitOfProbes() {
    PhiAccrualDetector d = defaults();
    long t = beat(d, S, 3) + 40 * S;
    assertTrue(d.check(t));
    // the first heartbeat seeds the window; more than recoverWait / interval = 10 samples bring it back
    for (int i = 1; i <= 10; i++) {
      t += S;
      assertFalse(d.heartbeat(t, true), "sample " + i);
      assertFalse(d.check(t));
      assertFalse(d.available());
    }
    t += S;
    assertTrue(d.heartbeat(t, true), "the eleventh sample");
    assertTrue(d.available());
    assertFalse(d.heartbeat(t + S, true), "recovered once, not again");
  }

  @Test
  void acksKeepAServerAliveButNeverBringItBack() {
    PhiAccrualDetector d = defaults();
    long t = T0;
    for (int i = 0; i < 100; i++) {
      t += S;
      d.heartbeat(t, false);
      assertFalse(d.check(t));
    }
    assertTrue(d.check(t + 40 * S));
    t += 40 * S;
    for (int i = 0; i < 20; i++) {
      t += S;
      assertFalse(d.heartbeat(t, false));
    }
    assertFalse(d.available(), "acks alone do not recover a server");
    assertTrue(d.heartbeat(t + S, true), "a probe does, with the acks' samples counted");
  }

  @Test
  void whileDetachedASilenceLongerThanTheHardTimeoutStartsTheCountAgain() {
    PhiAccrualDetector d = defaults();
    long t = T0 + 40 * S;
    assertTrue(d.check(t));
    for (int i = 0; i < 5; i++) {
      t += S;
      d.heartbeat(t, true);
    }
    t += 61 * S;
    assertFalse(d.check(t));
    assertEquals(0, d.samples());
    for (int i = 0; i < 10; i++) {
      t += S;
      assertFalse(d.heartbeat(t, true));
    }
    assertTrue(d.heartbeat(t + S, true));
  }

  @Test
  void recoverWaitZeroBringsAServerBackAtItsFirstHeartbeat() {
    PhiAccrualDetector d = new PhiAccrualDetector(S, 16, 60 * S, 0, T0);
    assertTrue(d.check(T0 + 61 * S));
    assertTrue(d.heartbeat(T0 + 62 * S, true));
  }

  @Test
  void theWindowKeepsTheLastThousandGaps() {
    PhiAccrualDetector d = defaults();
    long t = beat(d, 5 * S, 1000); // one seeded 1 s gap pushed out by a thousand 5 s gaps
    assertEquals(PhiAccrualDetector.WINDOW, d.samples());
    // mean = 5 - 1 + 1 = 5; t = 10 - 1 + 1 = 10
    assertEquals(10 / (5 * Math.log(10)), d.phi(t + 10 * S), 1e-9);
  }
}
