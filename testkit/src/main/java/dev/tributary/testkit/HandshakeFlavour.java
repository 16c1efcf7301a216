package dev.tributary.testkit;

/**
 * Which real server's shared-key handshake a {@link ForwardServer} plays, byte for byte and
 * refusal for refusal ({@link ForwardServerConfig.Builder#handshakeFlavour}).
 *
 * <pre>{@code
 * ForwardServer server = ForwardServer.builder()
 *     .sharedKey("secret").handshakeFlavour(HandshakeFlavour.FLUENT_BIT).build();
 * }</pre>
 */
public enum HandshakeFlavour {
  /**
   * Fluentd 1.x {@code in_forward}: HELO {@code {"nonce": bin, "auth": bin, "keepalive": bool}};
   * PING fields may be str or bin; every refusal is {@code ["PONG", false, reason, "", ""]}, then
   * a TCP reset; data the client sent right behind its PING is served.
   */
  FLUENTD,
  /**
   * Fluent Bit {@code in_forward}: HELO {@code {"nonce": str, "auth": str}}, the strs holding 16
   * raw random bytes (not valid UTF-8), no {@code keepalive}; every PING field must be a str and
   * the PING at most 1023 bytes; a wrong shared key or a malformed PING gets no PONG, only an
   * orderly close; a wrong user or password gets {@code ["PONG", false, "username/password
   * mismatch", "", ""]}, then a close; bytes that arrived behind the PING, before the PONG, are
   * discarded.
   */
  FLUENT_BIT
}
