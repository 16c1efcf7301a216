package dev.tributary.testkit;

import org.msgpack.value.ImmutableValue;

/**
 * One shared-key handshake a {@link ForwardServer} ran ({@link ForwardServer#handshakes()}): its
 * outcome and what the client's PING said. Immutable and thread safe.
 *
 * <pre>{@code
 * ReceivedHandshake h = server.awaitHandshakes(1, Duration.ofSeconds(5)).get(0);
 * assertTrue(h.accepted(), h.reason());
 * assertEquals("app-host", h.clientHostname());
 * }</pre>
 *
 * @param connectionId the connection, as in {@link ReceivedEvent#connectionId()}
 * @param accepted whether the server answered {@code ["PONG", true, ...]} and served requests
 * @param reason {@code ""} when accepted; otherwise {@link #SHARED_KEY_MISMATCH}, {@link
 *     #USER_MISMATCH}, {@link #INVALID_PING} or {@link #NO_PING}, whether or not the flavour
 *     sends it to the client
 * @param pongSent whether a PONG (true or false) was written; false for Fluent Bit's silent
 *     closes, for PINGs Fluentd cannot even check, and when no PING came
 * @param clientHostname the PING's client hostname (bytes read as UTF-8), or {@code null} when
 *     there was no such str or bin field
 * @param username the PING's username, or {@code null} likewise; {@code ""} when the client sent
 *     none
 * @param bytesDiscarded bytes that arrived behind the PING in the same read and were thrown away
 *     ({@link HandshakeFlavour#FLUENT_BIT} only; 0 otherwise)
 * @param ping the PING exactly as received, or {@code null} when none could be read
 */
public record ReceivedHandshake(int connectionId, boolean accepted, String reason,
    boolean pongSent, String clientHostname, String username, long bytesDiscarded,
    ImmutableValue ping) {

  /** The PING's key digest is not the one the server computed (checked first). */
  public static final String SHARED_KEY_MISMATCH = "shared_key mismatch";

  /** Users are configured and the PING's username or password digest matches none. */
  public static final String USER_MISMATCH = "username/password mismatch";

  /** The PING is not a 6-element array starting with "PING", or a field has the wrong type. */
  public static final String INVALID_PING = "invalid ping message";

  /** The client closed the connection before a whole PING arrived. */
  public static final String NO_PING = "no PING";
}
