package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pacing arithmetic, on a clock the test steps by hand. */
class ThrottleTest {
  private long now = 1_000_000_000L;
  private final Throttle throttle = new Throttle(() -> now);

  private void advanceMillis(long millis) {
    now += TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void unlimitedGrantsEverythingAtOnce() {
    assertEquals(65_536, throttle.maxPiece(65_536));
    assertEquals(65_536, throttle.tryAcquire(65_536));
    assertEquals(65_536, throttle.tryAcquire(65_536));
    assertEquals(0, throttle.nanosUntilFree());
  }

  @Test
  void grantsFiftyMillisecondsWorthThenWaitsUntilItIsSent() {
    throttle.rate(1000);

    assertEquals(50, throttle.maxPiece(65_536));
    assertEquals(50, throttle.tryAcquire(65_536));
    assertEquals(0, throttle.tryAcquire(65_536), "the piece has not been sent yet");
    assertEquals(TimeUnit.MILLISECONDS.toNanos(50), throttle.nanosUntilFree());

    advanceMillis(49);
    assertEquals(0, throttle.tryAcquire(65_536));
    advanceMillis(1);
    assertEquals(50, throttle.tryAcquire(65_536));
    assertEquals(0, throttle.tryAcquire(20), "nothing more until the second piece is sent");
  }

  @Test
  void neverRunsAheadOfTheRateByMoreThanOnePieceAndSavesNoBurst() {
    throttle.rate(1024);
    long granted = 0;
    for (int ms = 0; ms < 10_000; ms++) {
      granted += throttle.tryAcquire(4096);
      advanceMillis(1);
    }
    long piece = throttle.maxPiece(4096);
    assertTrue(granted <= 10 * 1024 + piece, "granted " + granted);
    assertTrue(granted >= 10 * 1024 - piece, "granted " + granted);

    advanceMillis(60_000);
    assertEquals(piece, throttle.tryAcquire(4096), "a minute idle is not saved up");
    assertEquals(0, throttle.tryAcquire(4096));
  }

  @Test
  void slowRatesGoOneByteAtATime() {
    throttle.rate(2);
    assertEquals(1, throttle.tryAcquire(100));
    assertEquals(0, throttle.tryAcquire(100));
    advanceMillis(500);
    assertEquals(1, throttle.tryAcquire(100));
  }

  @Test
  void liftingTheLimitReleasesAtOnce() {
    throttle.rate(10);
    assertEquals(1, throttle.tryAcquire(100));
    assertEquals(0, throttle.tryAcquire(100));

    throttle.rate(Throttle.UNLIMITED);
    assertEquals(100, throttle.tryAcquire(100));
  }
}
