package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The accounting identity of {@link TributaryMetrics}, asserted the same way by every test. */
final class Accounting {

  private Accounting() {}

  /**
   * emitted + extra copies + recovered = delivered + buffered + in flight + dropped + failed + kept
   * on disk, for the instance (extra copies are 0 unless a route names several outputs; recovered
   * and kept on disk only with a file buffer), and for each output on its own without the extra
   * copies.
   */
  static void assertIdentity(TributaryMetrics m) {
    assertEquals(m.emitted() + m.extraCopies() + m.recoveredEvents(), m.delivered() + m.bufferedEvents()
        + m.inFlightEvents() + m.droppedTotal() + m.failedTotal() + m.keptOnDiskEvents(),
        "every event accounted for: " + m);
    long recovered = 0;
    long kept = 0;
    for (OutputMetrics o : m.outputs()) {
      assertIdentity(o);
      recovered += o.recoveredEvents();
      kept += o.keptOnDiskEvents();
    }
    assertEquals(m.recoveredEvents(), recovered, "the instance's recovered events are its outputs': " + m);
    assertEquals(m.keptOnDiskEvents(), kept, "the instance's events kept on disk are its outputs': " + m);
  }

  /** One output's copies: emitted + recovered = delivered + buffered + in flight + dropped + failed + kept on disk. */
  static void assertIdentity(OutputMetrics o) {
    assertEquals(o.emitted() + o.recoveredEvents(), o.delivered() + o.bufferedEvents() + o.inFlightEvents()
        + o.droppedTotal() + o.failedTotal() + o.keptOnDiskEvents(), "every copy accounted for: " + o);
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
