package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * The client side of TLS and the shared-key handshake, written independently of the server's
 * code: what a forward client would send, and checks of what it gets back.
 */
final class SecureWire {
  static final String CLIENT_HOSTNAME = "client-host";
  static final String SALT = "0123456789abcdef0123456789abcdef"; // ASCII, as Fluentd's client

  private SecureWire() {}

  /**
   * A TLS socket to the server that verifies the certificate for {@code hostname} (sent as SNI
   * too) and has finished its handshake; {@code protocols} restricts the versions it offers.
   */
  static SSLSocket tls(ForwardServer server, SSLContext context, String hostname,
      String... protocols) throws IOException {
    Socket plain = new Socket(server.host(), server.port());
    SSLSocket ssl = (SSLSocket) context.getSocketFactory()
        .createSocket(plain, hostname, server.port(), true);
    try {
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      if (protocols.length > 0) {
        parameters.setProtocols(protocols);
      }
      ssl.setSSLParameters(parameters);
      ssl.setSoTimeout(5_000);
      ssl.startHandshake();
      return ssl;
    } catch (IOException | RuntimeException e) {
      ssl.close();
      throw e;
    }
  }

  /** Lowercase hex SHA-512 over the parts. */
  static String sha512Hex(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      for (byte[] p : parts) {
        md.update(p);
      }
      StringBuilder hex = new StringBuilder();
      for (byte b : md.digest()) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The HELO's nonce and auth, as raw bytes whatever their msgpack type. */
  record Helo(byte[] nonce, byte[] auth) {}

  /** Reads a HELO through the client's unpacker and checks its shape. */
  static Helo readHelo(TestClient client) {
    Value helo = client.readValue();
    List<Value> array = helo.asArrayValue().list();
    assertEquals(2, array.size(), "HELO: " + helo);
    assertEquals("HELO", array.get(0).asStringValue().asString());
    Map<Value, Value> options = array.get(1).asMapValue().map();
    return new Helo(options.get(ValueFactory.newString("nonce")).asRawValue().asByteArray(),
        options.get(ValueFactory.newString("auth")).asRawValue().asByteArray());
  }

  /** A PING of six strs, the key digest made from {@code sharedKey}; no user. */
  static byte[] ping(Helo helo, String sharedKey) {
    return ping(helo, sharedKey, "", null);
  }

  /**
   * A PING of six strs; with a {@code password}, the password digest over auth, username and
   * password, otherwise an empty one.
   */
  static byte[] ping(Helo helo, String sharedKey, String username, String password) {
    String keyDigest = sha512Hex(utf8(SALT), utf8(CLIENT_HOSTNAME), helo.nonce(), utf8(sharedKey));
    String passwordDigest = password == null ? ""
        : sha512Hex(helo.auth(), utf8(username), utf8(password));
    return Wire.pack(p -> Wire.value(p,
        List.of("PING", CLIENT_HOSTNAME, SALT, keyDigest, username, passwordDigest)));
  }

  /** Reads a PONG, checks it says yes and that its digest proves the server knows the key. */
  static void assertPongAccepts(TestClient client, Helo helo, String serverHostname,
      String sharedKey) {
    List<Value> pong = client.readValue().asArrayValue().list();
    assertEquals(5, pong.size(), "PONG: " + pong);
    assertEquals("PONG", pong.get(0).asStringValue().asString());
    assertTrue(pong.get(1).asBooleanValue().getBoolean(), "PONG: " + pong);
    assertEquals("", pong.get(2).asStringValue().asString());
    assertEquals(serverHostname, pong.get(3).asStringValue().asString());
    assertEquals(sha512Hex(utf8(SALT), utf8(serverHostname), helo.nonce(), utf8(sharedKey)),
        pong.get(4).asStringValue().asString());
  }

  /** Reads a PONG and checks it is {@code ["PONG", false, reason, "", ""]}. */
  static void assertPongRefuses(TestClient client, String reason) {
    Value pong = client.readValue();
    assertEquals(ValueFactory.newArray(ValueFactory.newString("PONG"),
        ValueFactory.newBoolean(false), ValueFactory.newString(reason),
        ValueFactory.newString(""), ValueFactory.newString("")), pong);
  }

  static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
