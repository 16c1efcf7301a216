package dev.tributary.testkit;

/**
 * How an event's time was encoded on the wire, so tests can check what a client sent and not only
 * the value it decodes to.
 *
 * <p>Immutable and thread safe.
 *
 * <pre>{@code
 * assertEquals(TimeType.EVENT_TIME, event.timeType());
 * }</pre>
 */
public enum TimeType {
  /** The forward protocol's EventTime: msgpack ext type 0 with seconds and nanoseconds. */
  EVENT_TIME,
  /** Whole seconds as a msgpack integer (what fluentd v0.12 peers understand). */
  INTEGER,
  /** Seconds as a msgpack float; fluentd drops such events, so clients should never send it. */
  FLOAT
}
