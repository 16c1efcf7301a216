package dev.tributary.internal.forward;

import dev.tributary.DeliveryException;
import dev.tributary.HandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * The client side of Fluentd's {@code <security>} handshake, run on a new connection before any
 * event: read HELO, answer PING, read PONG and check that the server knows the shared key too.
 *
 * <p>Works with Fluentd (nonce and auth as bin, a {@code keepalive} flag) and Fluent Bit (nonce
 * and auth as str holding raw, usually invalid UTF-8 bytes, no {@code keepalive}): digests are
 * taken over the raw bytes, never over decoded text. The PING goes out in one write, every field a
 * str, and nothing follows it until the PONG. A connection closed instead of a PONG is Fluent
 * Bit's answer to a wrong shared key and is reported as a refusal.
 *
 * <p>Runs on the thread that connects; bounded by the socket's read timeout.
 */
final class SharedKeyHandshake {

  private static final Value NONCE = ValueFactory.newString("nonce");
  private static final Value AUTH = ValueFactory.newString("auth");
  private static final Value KEEPALIVE = ValueFactory.newString("keepalive");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the handshake left: whether the server keeps connections, and unread bytes. */
  record Result(boolean keepalive, AckReader reader) {}

  private SharedKeyHandshake() {}

  static Result run(Socket socket, SharedKeySettings settings, ServerAddress server) throws IOException {
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    AckReader reader = new AckReader();
    Value helo = read(in, reader, server, "HELO");
    if (helo == null) {
      throw new DeliveryException("server " + server + " closed the connection before its HELO", true);
    }
    List<Value> h = expect(helo, "HELO", 2, server);
    if (!h.get(1).isMapValue()) {
      throw new DeliveryException("server " + server + " sent a HELO without options: " + helo, true);
    }
    Map<Value, Value> options = h.get(1).asMapValue().map();
    byte[] nonce = raw(options.get(NONCE));
    byte[] auth = raw(options.get(AUTH));
    if (nonce == null) {
      throw new DeliveryException("server " + server + " sent a HELO without a nonce", true);
    }
    Value keepaliveValue = options.get(KEEPALIVE);
    boolean keepalive = keepaliveValue == null || !keepaliveValue.isBooleanValue()
        || keepaliveValue.asBooleanValue().getBoolean();

    byte[] key = settings.sharedKey().getBytes(StandardCharsets.UTF_8);
    String salt = HexFormat.of().formatHex(randomBytes(16));
    String self = settings.selfHostname();
    String keyDigest = sha512Hex(utf8(salt), utf8(self), nonce, key);
    boolean users = auth != null && auth.length > 0;
    String username = users ? settings.username() : "";
    String passwordDigest = users
        ? sha512Hex(auth, utf8(settings.username()), utf8(settings.password())) : "";
    try (MessageBufferPacker ping = MessagePack.newDefaultBufferPacker()) {
      ping.packArrayHeader(6);
      ping.packString("PING").packString(self).packString(salt).packString(keyDigest)
          .packString(username).packString(passwordDigest);
      out.write(ping.toByteArray()); // one write: Fluent Bit drops what follows the PING in a read
      out.flush();
    }

    Value pong = read(in, reader, server, "PONG");
    if (pong == null) {
      throw new HandshakeException("server " + server + " closed the connection instead of answering"
          + " the handshake: most likely the shared key differs (Fluent Bit closes silently on a wrong key)");
    }
    List<Value> p = expect(pong, "PONG", 5, server);
    if (!p.get(1).isBooleanValue() || !p.get(1).asBooleanValue().getBoolean()) {
      String reason = p.get(2).isStringValue() ? p.get(2).asStringValue().asString() : p.get(2).toString();
      throw new HandshakeException("server " + server + " refused the handshake: " + reason);
    }
    byte[] serverHostname = raw(p.get(3));
    byte[] digest = raw(p.get(4));
    String expected = sha512Hex(utf8(salt), serverHostname == null ? new byte[0] : serverHostname, nonce, key);
    if (digest == null || !MessageDigest.isEqual(utf8(expected),
        new String(digest, StandardCharsets.UTF_8).toLowerCase().getBytes(StandardCharsets.UTF_8))) {
      throw new HandshakeException("server " + server + " could not prove that it knows the shared key"
          + " (its PONG digest does not match): refused");
    }
    return new Result(keepalive, reader);
  }

  /** Reads bytes until one whole value is there; null at end of stream. */
  private static Value read(InputStream in, AckReader reader, ServerAddress server, String what)
      throws IOException {
    byte[] buf = new byte[512];
    Value v;
    while ((v = reader.nextValue()) == null) {
      int n;
      try {
        n = in.read(buf);
      } catch (java.net.SocketTimeoutException e) {
        throw new DeliveryException("server " + server + " sent no " + what + " within the connect timeout", e, true);
      }
      if (n < 0) {
        return null;
      }
      reader.feed(buf, n);
    }
    return v;
  }

  private static List<Value> expect(Value v, String name, int size, ServerAddress server)
      throws DeliveryException {
    if (!v.isArrayValue() || v.asArrayValue().size() < size
        || !v.asArrayValue().get(0).isStringValue()
        || !name.equals(v.asArrayValue().get(0).asStringValue().asString())) {
      throw new DeliveryException("server " + server + " sent " + v + " where a " + name + " was expected"
          + (name.equals("HELO") ? " (is the server configured with <security>?)" : ""), true);
    }
    return v.asArrayValue().list();
  }

  /** The raw bytes of a str or bin, whatever they encode; null for anything else. */
  private static byte[] raw(Value v) {
    if (v == null) {
      return null;
    }
    if (v.isStringValue() || v.isBinaryValue()) {
      return v.asRawValue().asByteArray();
    }
    return null;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static String sha512Hex(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      for (byte[] part : parts) {
        md.update(part);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required of every JDK", e);
    }
  }
}
