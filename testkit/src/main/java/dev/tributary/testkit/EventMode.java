package dev.tributary.testkit;

/**
 * The forward-protocol mode a request arrived in, chosen by the type of the request's element [1].
 *
 * <p>Immutable and thread safe.
 *
 * <pre>{@code
 * assertEquals(EventMode.PACKED_FORWARD, server.awaitEvents(1, timeout).get(0).mode());
 * }</pre>
 */
public enum EventMode {
  /** {@code [tag, time, record, option?]}: one event. */
  MESSAGE,
  /** {@code [tag, [[time, record], ...], option?]}: entries as a msgpack array. */
  FORWARD,
  /** {@code [tag, entries, option?]}: entries as concatenated msgpack in a bin or str. */
  PACKED_FORWARD,
  /** Like {@link #PACKED_FORWARD}, with gzip entries and the option {@code compressed: "gzip"}. */
  COMPRESSED_PACKED_FORWARD
}
