package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The accounting identity of {@link TributaryMetrics}, asserted the same way by every test. */
final class Accounting {

  private Accounting() {}

  /**
   * emitted + extra copies = delivered + buffered + in flight + dropped + failed, for the instance
   * (extra copies are 0 unless a route names several outputs), and for each output on its own
   * without the extra copies.
   */
  static void assertIdentity(TributaryMetrics m) {
    assertEquals(m.emitted() + m.extraCopies(), m.delivered() + m.bufferedEvents() + m.inFlightEvents()
        + m.droppedTotal() + m.failedTotal(), "every event accounted for: " + m);
    for (OutputMetrics o : m.outputs()) {
      assertIdentity(o);
    }
  }

  /** One output's copies: emitted = delivered + buffered + in flight + dropped + failed. */
  static void assertIdentity(OutputMetrics o) {
    assertEquals(o.emitted(), o.delivered() + o.bufferedEvents() + o.inFlightEvents()
        + o.droppedTotal() + o.failedTotal(), "every copy accounted for: " + o);
  }

  /** Nothing in motion: the identity holds with nothing buffered, nothing in flight, no memory held. */
  static void assertSettled(TributaryMetrics m) {
    assertIdentity(m);
    assertEquals(0, m.bufferedEvents(), "nothing left buffered: " + m);
    assertEquals(0, m.inFlightEvents(), "nothing left in flight: " + m);
    assertEquals(0, m.bufferedBytes(), "no buffer memory held: " + m);
    for (OutputMetrics o : m.outputs()) {
      assertEquals(0, o.bufferedBytes(), "no buffer memory held by " + o.name() + ": " + o);
    }
  }
}
