package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The accounting identity of {@link TributaryMetrics}, asserted the same way by every test. */
final class Accounting {

  private Accounting() {}

  /**
   * emitted + recovered = delivered + buffered + in flight + dropped + failed + kept on disk (the
   * last two terms only with a file buffer).
   */
  static void assertIdentity(TributaryMetrics m) {
    assertEquals(m.emitted() + m.recoveredEvents(), m.delivered() + m.bufferedEvents() + m.inFlightEvents()
        + m.droppedTotal() + m.failedTotal() + m.keptOnDiskEvents(), "every event accounted for: " + m);
  }

  /** Nothing in motion: the identity holds with nothing buffered, nothing in flight, no memory held. */
  static void assertSettled(TributaryMetrics m) {
    assertIdentity(m);
    assertEquals(0, m.bufferedEvents(), "nothing left buffered: " + m);
    assertEquals(0, m.inFlightEvents(), "nothing left in flight: " + m);
    assertEquals(0, m.bufferedBytes(), "no buffer memory held: " + m);
  }
}
