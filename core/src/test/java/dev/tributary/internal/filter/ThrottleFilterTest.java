package dev.tributary.internal.filter;

import static dev.tributary.internal.filter.FilterEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.DropReason;
import dev.tributary.Filter;
import dev.tributary.Filters;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Time is a stepped clock: no sleeps. */
class ThrottleFilterTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(1000 * SECOND);

  private Filter throttle(int rate, int window) {
    return Filters.throttle().rate(rate).window(window).interval(Duration.ofSeconds(1)).nanoClock(now::get).build();
  }

  private static int kept(Filter f, String tag, int events) {
    int kept = 0;
    for (int i = 0; i < events; i++) {
      if (f.filter(event(tag))) {
        kept++;
      }
    }
    return kept;
  }

  @Test
  void theFirstIntervalTakesTheRateAndTheRestIsDroppedAsThrottled() {
    Filter f = throttle(5, 5);
    assertEquals(5, kept(f, "app", 8));
    assertEquals(DropReason.THROTTLED, f.dropReason());
  }

  @Test
  void theAverageOverTheWindowIsWhatIsLimited() {
    Filter f = throttle(5, 3);
    assertEquals(1, kept(f, "app", 1)); // second 0: 1 of 5 used
    now.addAndGet(SECOND);
    assertEquals(9, kept(f, "app", 20)); // second 1: 2 intervals seen, 10 allowed in all
    now.addAndGet(SECOND);
    assertEquals(5, kept(f, "app", 20)); // second 2: 15 allowed over 3
    now.addAndGet(SECOND);
    assertEquals(1, kept(f, "app", 20)); // second 3: second 0 left the window: 15 - (9 + 5)
    now.addAndGet(10 * SECOND);
    assertEquals(15, kept(f, "app", 20)); // a quiet window later: the whole window's allowance
  }

  @Test
  void eachTagHasItsOwnRate() {
    Filter f = throttle(2, 1);
    assertEquals(2, kept(f, "a", 5));
    assertEquals(2, kept(f, "b", 5));
    now.addAndGet(SECOND);
    assertEquals(2, kept(f, "a", 5));
  }

  @Test
  void fromFluentBitParameters() {
    Filters.Throttle b = (Filters.Throttle) Filters.builder("throttle");
    Map.of("Rate", "3", "Window", "1", "Interval", "1m", "Print_Status", "true").forEach(b::param);
    Filter f = b.nanoClock(now::get).build();
    assertEquals(3, kept(f, "app", 10));
    assertThrows(IllegalArgumentException.class, () -> Filters.of("throttle", Map.of("window", "2")));
    assertThrows(IllegalArgumentException.class, () -> Filters.throttle().rate(0));
  }
}
