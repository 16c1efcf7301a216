package dev.tributary.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.value.ImmutableValue;
import org.msgpack.value.Value;

/**
 * The server side of the forward protocol's shared-key handshake ({@code <security>}): HELO on
 * connect, check the client's PING, answer PONG or refuse, the way the chosen {@link
 * HandshakeFlavour} does. Digests are lowercase hex SHA-512 over raw bytes: the PING's key digest
 * over salt, client hostname, nonce and shared key; the PONG's over salt, server hostname, nonce
 * and shared key; a password digest over auth, username and password.
 *
 * <p>Thread safe: immutable, one instance serves every connection of a server.
 */
final class Handshake implements ConnectionSetup {
  /** Fluent Bit reads the PING into a buffer of this size and gives up on a larger one. */
  static final int FLUENT_BIT_MAX_PING_BYTES = 1023;

  private static final int NONCE_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] PING = "PING".getBytes(StandardCharsets.US_ASCII);

  /** A server's {@code <security>} settings; {@code users} maps username to password. */
  record Settings(String sharedKey, String selfHostname, Map<String, String> users,
      HandshakeFlavour flavour, boolean wrongServerKey, boolean emptyAuth) {}

  private final Settings settings;
  private final boolean fluentd;

  Handshake(Settings settings) {
    this.settings = settings;
    this.fluentd = settings.flavour() == HandshakeFlavour.FLUENTD;
  }

  @Override
  public void run(Connection c) throws IOException {
    byte[] nonce = random(NONCE_BYTES);
    byte[] auth = settings.emptyAuth() ? new byte[0] : random(NONCE_BYTES);
    writeHelo(c.out(), nonce, auth, c.keepalive());

    long start = c.in().getTotalReadBytes();
    ImmutableValue ping;
    try {
      if (!c.in().hasNext()) {
        throw refuse(c, new Outcome(ReceivedHandshake.NO_PING, false, "the client closed"),
            null, 0);
      }
      ping = c.in().unpackValue();
    } catch (MessageInsufficientBufferException e) {
      throw refuse(c, new Outcome(ReceivedHandshake.NO_PING, false, "the client closed mid-PING"),
          null, 0);
    } catch (MessagePackException e) {
      throw refuse(c, new Outcome(ReceivedHandshake.INVALID_PING, false, "not msgpack: " + e),
          null, 0);
    }
    long pingBytes = c.in().getTotalReadBytes() - start;
    long discarded = 0;
    if (!fluentd) {
      // Fluent Bit drops whatever came in with the PING: a client must wait for the PONG.
      discarded = c.bytesRead().getAsLong() - c.in().getTotalReadBytes();
      if (discarded > 0) {
        c.in().readPayloadAsReference((int) discarded);
      }
    }
    Outcome outcome = fluentd ? checkFluentd(ping, nonce, auth)
        : checkFluentBit(ping, pingBytes, nonce, auth);
    if (outcome != null) {
      throw refuse(c, outcome, ping, discarded);
    }
    byte[] salt = ping.asArrayValue().get(2).asRawValue().asByteArray();
    String key = settings.wrongServerKey() ? "not-" + settings.sharedKey() : settings.sharedKey();
    // journaled before the PONG goes out: a test that learns the outcome from its client finds it recorded
    c.journal().handshake(received(c, true, "", true, ping, discarded));
    writePong(c.out(), true, "", settings.selfHostname(),
        digest(salt, utf8(settings.selfHostname()), nonce, utf8(key)));
  }

  /** Why a PING is refused and how; {@code detail} goes to the protocol errors only. */
  private record Outcome(String reason, boolean pong, String detail) {}

  /** Fluentd's {@code check_ping}, and the type errors its digest code would raise. */
  private Outcome checkFluentd(ImmutableValue ping, byte[] nonce, byte[] auth) {
    if (!ping.isArrayValue() || ping.asArrayValue().size() != 6
        || !Arrays.equals(raw(ping.asArrayValue().get(0)), PING)) {
      return new Outcome(ReceivedHandshake.INVALID_PING, true, "not a PING of 6 elements");
    }
    List<Value> f = ping.asArrayValue().list();
    if (raw(f.get(1)) == null || raw(f.get(2)) == null) {
      // Fluentd's digest raises on a non-string hostname or salt: no PONG, a reset.
      return new Outcome(ReceivedHandshake.INVALID_PING, false, "hostname or salt not str/bin");
    }
    if (!keyDigestMatches(f, nonce)) {
      return new Outcome(ReceivedHandshake.SHARED_KEY_MISMATCH, true, "");
    }
    if (!userMatches(f, auth)) {
      return new Outcome(ReceivedHandshake.USER_MISMATCH, true, "");
    }
    return null;
  }

  /** Fluent Bit's {@code check_ping}: every field a str, silent on all but a user mismatch. */
  private Outcome checkFluentBit(ImmutableValue ping, long pingBytes, byte[] nonce, byte[] auth) {
    if (pingBytes > FLUENT_BIT_MAX_PING_BYTES) {
      return new Outcome(ReceivedHandshake.INVALID_PING, false,
          "a PING of " + pingBytes + " bytes, over " + FLUENT_BIT_MAX_PING_BYTES);
    }
    if (!ping.isArrayValue() || ping.asArrayValue().size() != 6) {
      return new Outcome(ReceivedHandshake.INVALID_PING, false, "not an array of 6 elements");
    }
    List<Value> f = ping.asArrayValue().list();
    for (int i = 0; i < f.size(); i++) {
      if (!f.get(i).isStringValue()) {
        return new Outcome(ReceivedHandshake.INVALID_PING, false,
            "element " + i + " is " + f.get(i).getValueType() + ", not a str");
      }
    }
    if (!Arrays.equals(raw(f.get(0)), PING)) {
      return new Outcome(ReceivedHandshake.INVALID_PING, false, "not a PING");
    }
    if (!keyDigestMatches(f, nonce)) {
      return new Outcome(ReceivedHandshake.SHARED_KEY_MISMATCH, false, "");
    }
    if (!userMatches(f, auth)) {
      return new Outcome(ReceivedHandshake.USER_MISMATCH, true, "");
    }
    return null;
  }

  private boolean keyDigestMatches(List<Value> f, byte[] nonce) {
    String expected = digest(raw(f.get(2)), raw(f.get(1)), nonce, utf8(settings.sharedKey()));
    return Arrays.equals(raw(f.get(3)), utf8(expected));
  }

  private boolean userMatches(List<Value> f, byte[] auth) {
    if (settings.users().isEmpty()) {
      return true;
    }
    byte[] username = raw(f.get(4));
    byte[] passwordDigest = raw(f.get(5));
    if (username == null || passwordDigest == null) {
      return false;
    }
    String password = settings.users().get(new String(username, StandardCharsets.UTF_8));
    return password != null && Arrays.equals(passwordDigest,
        utf8(digest(auth, username, utf8(password))));
  }

  private ConnectionRefused refuse(Connection c, Outcome outcome, ImmutableValue ping,
      long discarded) throws IOException {
    c.journal().handshake(received(c, false, outcome.reason(), outcome.pong(), ping, discarded),
        outcome.detail());
    if (outcome.pong()) {
      writePong(c.out(), false, outcome.reason(), "", "");
    }
    // Fluentd resets every connection it closes; Fluent Bit closes in order.
    return new ConnectionRefused("handshake refused: " + outcome.reason(), fluentd);
  }

  private static ReceivedHandshake received(Connection c, boolean accepted, String reason,
      boolean pong, ImmutableValue ping, long discarded) {
    String hostname = null;
    String username = null;
    if (ping != null && ping.isArrayValue()) {
      List<Value> f = ping.asArrayValue().list();
      hostname = f.size() > 1 ? text(f.get(1)) : null;
      username = f.size() > 4 ? text(f.get(4)) : null;
    }
    return new ReceivedHandshake(c.id(), accepted, reason, pong, hostname, username, discarded,
        ping);
  }

  private void writeHelo(MessagePacker out, byte[] nonce, byte[] auth, boolean keepalive)
      throws IOException {
    out.packArrayHeader(2);
    out.packString("HELO");
    out.packMapHeader(fluentd ? 3 : 2);
    out.packString("nonce");
    rawField(out, nonce);
    out.packString("auth");
    if (auth.length == 0) {
      out.packString(""); // as fluent-plugin-secure-forward sent it without user auth: a str
    } else {
      rawField(out, auth);
    }
    if (fluentd) {
      out.packString("keepalive");
      out.packBoolean(keepalive);
    }
    out.flush();
  }

  /** Fluentd packs binary strings as bin; Fluent Bit as str, whatever the bytes. */
  private void rawField(MessagePacker out, byte[] bytes) throws IOException {
    if (fluentd) {
      out.packBinaryHeader(bytes.length);
    } else {
      out.packRawStringHeader(bytes.length);
    }
    out.writePayload(bytes);
  }

  private static void writePong(MessagePacker out, boolean ok, String reason, String hostname,
      String digest) throws IOException {
    out.packArrayHeader(5);
    out.packString("PONG");
    out.packBoolean(ok);
    out.packString(reason);
    out.packString(hostname);
    out.packString(digest);
    out.flush();
  }

  /** Lowercase hex SHA-512 over the parts, in order. */
  static String digest(byte[]... parts) {
    try {
      MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
      for (byte[] part : parts) {
        sha512.update(part);
      }
      return HexFormat.of().formatHex(sha512.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-512", e);
    }
  }

  /** The bytes of a str or bin, or null for any other type. */
  private static byte[] raw(Value v) {
    return v.isRawValue() ? v.asRawValue().asByteArray() : null;
  }

  private static String text(Value v) {
    byte[] bytes = raw(v);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
