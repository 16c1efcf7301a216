package dev.tributary.testkit;

import static dev.tributary.testkit.SecureWire.CLIENT_HOSTNAME;
import static dev.tributary.testkit.SecureWire.SALT;
import static dev.tributary.testkit.SecureWire.assertPongAccepts;
import static dev.tributary.testkit.SecureWire.assertPongRefuses;
import static dev.tributary.testkit.SecureWire.ping;
import static dev.tributary.testkit.SecureWire.readHelo;
import static dev.tributary.testkit.SecureWire.sha512Hex;
import static dev.tributary.testkit.SecureWire.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.SecureWire.Helo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msgpack.value.Value;

/** The shared-key handshake, flavour by flavour, against a client written from the protocol. */
class HandshakeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long SECONDS = 1_700_000_000L;
  private static final String KEY = "s3cret";

  private static ForwardServerConfig.Builder secured(HandshakeFlavour flavour) {
    return ForwardServer.builder().sharedKey(KEY).handshakeFlavour(flavour);
  }

  @Test
  void fluentdHeloCarriesBinNonceAndAuthAndKeepalive() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENTD).build();
        TestClient client = TestClient.connect(server)) {
      byte[] helo = client.readRaw(65);
      // ["HELO", {"nonce": bin 16, "auth": bin 16, "keepalive": true}]
      assertArrayEquals(concat(new byte[] {(byte) 0x92, (byte) 0xa4}, ascii("HELO"),
          new byte[] {(byte) 0x83, (byte) 0xa5}, ascii("nonce"), new byte[] {(byte) 0xc4, 16}),
          Arrays.copyOfRange(helo, 0, 15));
      assertArrayEquals(concat(new byte[] {(byte) 0xa4}, ascii("auth"),
          new byte[] {(byte) 0xc4, 16}), Arrays.copyOfRange(helo, 31, 38));
      assertArrayEquals(concat(new byte[] {(byte) 0xa9}, ascii("keepalive"),
          new byte[] {(byte) 0xc3}), Arrays.copyOfRange(helo, 54, 65));
      assertFalse(Arrays.equals(Arrays.copyOfRange(helo, 15, 31), Arrays.copyOfRange(helo, 38, 54)),
          "nonce and auth are separate random values");
    }
  }

  @Test
  void fluentBitHeloCarriesRawStrNonceAndAuthWithoutKeepalive() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENT_BIT).build();
        TestClient client = TestClient.connect(server)) {
      byte[] helo = client.readRaw(52);
      // ["HELO", {"nonce": str 16, "auth": str 16}], the strs holding raw random bytes
      assertArrayEquals(concat(new byte[] {(byte) 0x92, (byte) 0xa4}, ascii("HELO"),
          new byte[] {(byte) 0x82, (byte) 0xa5}, ascii("nonce"), new byte[] {(byte) 0xb0}),
          Arrays.copyOfRange(helo, 0, 14));
      assertArrayEquals(concat(new byte[] {(byte) 0xa4}, ascii("auth"), new byte[] {(byte) 0xb0}),
          Arrays.copyOfRange(helo, 30, 36));
      client.assertSilentFor(Duration.ofMillis(100)); // nothing more: no keepalive key
    }
  }

  @Test
  void fluentdHeloSaysNoKeepaliveWhenKeepaliveIsDenied() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENTD).denyKeepalive(true).build();
        TestClient client = TestClient.connect(server)) {
      byte[] helo = client.readRaw(65);
      assertEquals((byte) 0xc2, helo[64], "keepalive false");
    }
  }

  @ParameterizedTest
  @EnumSource(HandshakeFlavour.class)
  void theRightKeyIsAcceptedWithAProvenPongAndRequestsAreServed(HandshakeFlavour flavour) {
    try (ForwardServer server = secured(flavour).selfHostname("aggregator").build();
        TestClient client = TestClient.connect(server)) {
      Helo helo = readHelo(client);
      assertEquals(16, helo.nonce().length);
      assertEquals(16, helo.auth().length);
      client.send(ping(helo, KEY));
      assertPongAccepts(client, helo, "aggregator", KEY);

      client.send(Wire.message("app", SECONDS, 0, Map.of("k", "v"), "c1"));
      assertEquals("c1", client.readAck());
      assertEquals("v", server.awaitEvents(1, TIMEOUT).get(0).record().get("k"));
      ReceivedHandshake h = server.handshakes().get(0);
      assertTrue(h.accepted());
      assertEquals("", h.reason());
      assertTrue(h.pongSent());
      assertEquals(CLIENT_HOSTNAME, h.clientHostname());
      assertEquals("", h.username());
      assertEquals(6, h.ping().asArrayValue().size());
      assertEquals(List.of(), server.protocolErrors());
    }
  }

  @Test
  void fluentdRefusesAWrongKeyWithAPongThenAReset() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENTD).build();
        TestClient client = TestClient.connect(server)) {
      client.send(ping(readHelo(client), "wrong"));
      assertPongRefuses(client, "shared_key mismatch");
      client.assertResetByServer();
      assertRefused(server, ReceivedHandshake.SHARED_KEY_MISMATCH, true);
    }
  }

  @Test
  void fluentBitClosesOnAWrongKeyWithoutAPong() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENT_BIT).build();
        TestClient client = TestClient.connect(server)) {
      client.send(ping(readHelo(client), "wrong"));
      client.assertClosedInOrderByServer();
      assertRefused(server, ReceivedHandshake.SHARED_KEY_MISMATCH, false);
    }
  }

  @Test
  void fluentdRefusesAPingOfFiveElementsAsInvalid() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENTD).build();
        TestClient client = TestClient.connect(server)) {
      readHelo(client);
      client.send(Wire.pack(p -> Wire.value(p, List.of("PING", CLIENT_HOSTNAME, SALT, "d", ""))));
      assertPongRefuses(client, "invalid ping message");
      client.assertResetByServer();
      assertRefused(server, ReceivedHandshake.INVALID_PING, true);
    }
  }

  @Test
  void fluentBitClosesOnAPingOfFiveElementsWithoutAPong() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENT_BIT).build();
        TestClient client = TestClient.connect(server)) {
      readHelo(client);
      client.send(Wire.pack(p -> Wire.value(p, List.of("PING", CLIENT_HOSTNAME, SALT, "d", ""))));
      client.assertClosedInOrderByServer();
      assertRefused(server, ReceivedHandshake.INVALID_PING, false);
    }
  }

  @Test
  void fluentdAcceptsABinSaltButFluentBitClosesSilently() {
    for (HandshakeFlavour flavour : HandshakeFlavour.values()) {
      try (ForwardServer server = secured(flavour).build();
          TestClient client = TestClient.connect(server)) {
        Helo helo = readHelo(client);
        String digest = sha512Hex(utf8(SALT), utf8(CLIENT_HOSTNAME), helo.nonce(), utf8(KEY));
        client.send(Wire.pack(p -> Wire.value(p,
            List.of("PING", CLIENT_HOSTNAME, utf8(SALT), digest, "", "")))); // salt as bin
        if (flavour == HandshakeFlavour.FLUENTD) {
          assertPongAccepts(client, helo, ForwardServerConfig.DEFAULT_SELF_HOSTNAME, KEY);
        } else {
          client.assertClosedInOrderByServer();
          assertRefused(server, ReceivedHandshake.INVALID_PING, false);
          assertTrue(server.protocolErrors().get(0).contains("element 2 is BINARY"),
              server.protocolErrors().toString());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(HandshakeFlavour.class)
  void aKnownUserWithTheRightPasswordIsAccepted(HandshakeFlavour flavour) {
    try (ForwardServer server =
            secured(flavour).users(Map.of("alice", "pw1", "bob", "pw2")).build();
        TestClient client = TestClient.connect(server)) {
      Helo helo = readHelo(client);
      client.send(ping(helo, KEY, "bob", "pw2"));
      assertPongAccepts(client, helo, ForwardServerConfig.DEFAULT_SELF_HOSTNAME, KEY);
      assertEquals("bob", server.awaitHandshakes(1, TIMEOUT).get(0).username());
    }
  }

  @ParameterizedTest
  @EnumSource(HandshakeFlavour.class)
  void aWrongPasswordOrUnknownUserGetsAPongFalse(HandshakeFlavour flavour) {
    for (String[] user : new String[][] {{"alice", "wrong"}, {"mallory", "pw1"}, {"", null}}) {
      try (ForwardServer server = secured(flavour).users(Map.of("alice", "pw1")).build();
          TestClient client = TestClient.connect(server)) {
        client.send(ping(readHelo(client), KEY, user[0], user[1]));
        assertPongRefuses(client, "username/password mismatch");
        if (flavour == HandshakeFlavour.FLUENTD) {
          client.assertResetByServer();
        } else {
          client.assertClosedInOrderByServer();
        }
        assertRefused(server, ReceivedHandshake.USER_MISMATCH, true);
        assertEquals(user[0], server.handshakes().get(0).username());
      }
    }
  }

  @Test
  void fluentdChecksTheSharedKeyBeforeTheUser() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENTD).users(Map.of("alice", "pw1"))
            .build();
        TestClient client = TestClient.connect(server)) {
      client.send(ping(readHelo(client), "wrong", "alice", "wrong"));
      assertPongRefuses(client, "shared_key mismatch");
    }
  }

  @ParameterizedTest
  @EnumSource(HandshakeFlavour.class)
  void aServerWithTheWrongKeyAcceptsButCannotProveTheKey(HandshakeFlavour flavour) {
    try (ForwardServer server = secured(flavour).wrongServerKey(true).build();
        TestClient client = TestClient.connect(server)) {
      Helo helo = readHelo(client);
      client.send(ping(helo, KEY));
      List<Value> pong = client.readValue().asArrayValue().list();
      assertTrue(pong.get(1).asBooleanValue().getBoolean());
      String honest = sha512Hex(utf8(SALT), utf8(ForwardServerConfig.DEFAULT_SELF_HOSTNAME),
          helo.nonce(), utf8(KEY));
      assertEquals(128, pong.get(4).asStringValue().asString().length());
      assertNotEquals(honest, pong.get(4).asStringValue().asString());
    }
  }

  @Test
  void fluentBitDiscardsWhatCameBehindThePingButFluentdServesIt() {
    for (HandshakeFlavour flavour : HandshakeFlavour.values()) {
      try (ForwardServer server = secured(flavour).build();
          TestClient client = TestClient.connect(server)) {
        Helo helo = readHelo(client);
        // One write: the server reads the PING and the request together.
        client.send(
            Wire.concat(ping(helo, KEY), Wire.message("app", SECONDS, 0, Map.of(), "early")));
        assertPongAccepts(client, helo, ForwardServerConfig.DEFAULT_SELF_HOSTNAME, KEY);
        client.send(Wire.message("app", SECONDS, 0, Map.of(), "after-pong"));
        if (flavour == HandshakeFlavour.FLUENTD) {
          assertEquals("early", client.readAck());
          assertEquals("after-pong", client.readAck());
          assertEquals(0, server.handshakes().get(0).bytesDiscarded());
        } else {
          assertEquals("after-pong", client.readAck());
          assertEquals(1, server.requestCount());
          assertTrue(server.handshakes().get(0).bytesDiscarded() > 0);
        }
      }
    }
  }

  @Test
  void fluentBitClosesOnAPingOverItsBuffer() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENT_BIT).build();
        TestClient client = TestClient.connect(server)) {
      Helo helo = readHelo(client);
      String host = "h".repeat(Handshake.FLUENT_BIT_MAX_PING_BYTES);
      String digest = sha512Hex(utf8(SALT), utf8(host), helo.nonce(), utf8(KEY));
      client.send(Wire.pack(p -> Wire.value(p, List.of("PING", host, SALT, digest, "", ""))));
      client.assertClosedInOrderByServer();
      assertRefused(server, ReceivedHandshake.INVALID_PING, false);
    }
  }

  @Test
  void emptyAuthIsAnEmptyStrAndAnEmptyUserIsAccepted() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENTD).emptyAuth(true).build();
        TestClient client = TestClient.connect(server)) {
      Helo helo = readHelo(client);
      assertEquals(0, helo.auth().length);
      client.send(ping(helo, KEY));
      assertPongAccepts(client, helo, ForwardServerConfig.DEFAULT_SELF_HOSTNAME, KEY);
    }
  }

  @ParameterizedTest
  @EnumSource(HandshakeFlavour.class)
  void aClientThatLeavesBeforePingIsRecorded(HandshakeFlavour flavour) {
    try (ForwardServer server = secured(flavour).build()) {
      try (TestClient client = TestClient.connect(server)) {
        readHelo(client);
      }
      ReceivedHandshake h = server.awaitHandshakes(1, TIMEOUT).get(0);
      assertEquals(ReceivedHandshake.NO_PING, h.reason());
      assertFalse(h.pongSent());
      assertEquals(null, h.ping());
    }
  }

  @Test
  void eachConnectionRunsItsOwnHandshakeWithAFreshNonce() {
    try (ForwardServer server = secured(HandshakeFlavour.FLUENTD).build();
        TestClient a = TestClient.connect(server);
        TestClient b = TestClient.connect(server)) {
      Helo ha = readHelo(a);
      Helo hb = readHelo(b);
      assertFalse(Arrays.equals(ha.nonce(), hb.nonce()));
      b.send(ping(hb, KEY));
      a.send(ping(ha, KEY));
      assertPongAccepts(a, ha, ForwardServerConfig.DEFAULT_SELF_HOSTNAME, KEY);
      assertPongAccepts(b, hb, ForwardServerConfig.DEFAULT_SELF_HOSTNAME, KEY);
      assertEquals(2, server.awaitHandshakes(2, TIMEOUT).size());
    }
  }

  @Test
  void handshakeOptionsNeedASharedKeyAndUsersNeedAuthBytes() {
    assertThrows(IllegalStateException.class,
        () -> ForwardServer.builder().users(Map.of("a", "b")).build());
    assertThrows(IllegalStateException.class,
        () -> ForwardServer.builder().handshakeFlavour(HandshakeFlavour.FLUENT_BIT).build());
    assertThrows(IllegalStateException.class,
        () -> secured(HandshakeFlavour.FLUENTD).users(Map.of("a", "b")).emptyAuth(true).build());
    assertThrows(NullPointerException.class, () -> ForwardServer.builder().sharedKey(null));
  }

  private static void assertRefused(ForwardServer server, String reason, boolean pongSent) {
    ReceivedHandshake h = server.awaitHandshakes(1, TIMEOUT).get(0);
    assertFalse(h.accepted());
    assertEquals(reason, h.reason());
    assertEquals(pongSent, h.pongSent());
    assertTrue(server.protocolErrors().get(0).contains("handshake refused: " + reason),
        server.protocolErrors().toString());
    assertEquals(0, server.requestCount());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    return Wire.concat(parts);
  }
}
