package dev.tributary;

/**
 * How Tributary checks, between chunks, that each server is alive (Fluentd's {@code
 * heartbeat_type}). What the heartbeats show feeds the phi accrual failure detector, which
 * detaches a silent server and brings it back once it has answered for {@code recoverWait}. An
 * acknowledged chunk counts as a heartbeat too.
 */
public enum HeartbeatType {
  /**
   * Open a connection as for data (TCP, with the TLS handshake and the shared-key handshake when
   * those are on), send nothing, close it. Works with Fluentd and Fluent Bit. The default.
   */
  TRANSPORT,
  /**
   * Send the one-byte datagram {@code 0x00} to the server's port over UDP; Fluentd's {@code
   * in_forward} answers it. Fluent Bit does not answer: with it, only acks keep a server healthy.
   */
  UDP,
  /** No heartbeat and no failure detector: every server counts as healthy; failed connections still fail over. */
  NONE
}
