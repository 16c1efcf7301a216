package dev.tributary.testkit;

/**
 * A scripted misbehaviour of {@link ForwardServer}, queued with {@link
 * ForwardServer#enqueueFault(Fault)}.
 *
 * <p>Faults are taken first in, first out, one per request, by the next requests the server reads
 * on any connection (whether or not they ask for an ack). Heartbeats and non-array roots do not
 * take a fault. Closing a connection because of a fault is abortive (a TCP reset), as a real
 * Fluentd does. Immutable and thread safe.
 *
 * <pre>{@code
 * server.enqueueFault(Fault.CLOSE_BEFORE_ACK); // the next request is stored but never acked
 * }</pre>
 */
public enum Fault {
  /** Store the request's events but send no ack; the connection stays open. */
  NO_ACK,
  /** Store the request's events and reply with an ack for a different chunk id. */
  WRONG_ACK,
  /** Store the request's events, then close the connection without acking. */
  CLOSE_BEFORE_ACK,
  /** Do not store the request's events and close the connection, as if the server died. */
  DROP_AND_CLOSE
}
