package dev.tributary.internal.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class AckReaderTest {

  /** Acks in every form a server may send them, and the ids they carry, in order. */
  private final List<String> ids = new ArrayList<>();

  private byte[] stream() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    for (int i = 0; i < 300; i++) {
      String id = "id-" + i + "-" + "x".repeat(i % 40); // fixstr, then str8 once past 31 bytes
      ids.add(id);
      byte[] raw = id.getBytes(StandardCharsets.UTF_8);
      switch (i % 5) {
        case 0, 1 -> p.packMapHeader(1).packString("ack").packString(id);
        case 2 -> p.packMapHeader(1).packString("ack").packBinaryHeader(raw.length).writePayload(raw);
        case 3 -> {
          p.packNil(); // a keepalive nil between acks is skipped
          p.packMapHeader(1).packString("ack").packString(id);
        }
        default -> p.packMapHeader(2).packString("ack").packString(id).packString("extra").packInt(i);
      }
    }
    String longId = "y".repeat(300); // str16
    ids.add(longId);
    p.packMapHeader(1).packString("ack").packString(longId);
    String unicode = "ïd-ünïcode";
    ids.add(unicode);
    p.packMapHeader(1).packString("ack").packString(unicode);
    return p.toByteArray();
  }

  private static List<String> readAll(AckReader r, List<String> into) throws IOException {
    for (String id; (id = r.next()) != null; ) {
      into.add(id);
    }
    return into;
  }

  @Test
  void readsEveryAckWhateverTheReadsSplitTheStreamInto() throws IOException {
    byte[] bytes = stream();
    AckReader whole = new AckReader();
    whole.feed(bytes, bytes.length);
    assertEquals(ids, readAll(whole, new ArrayList<>()));

    AckReader byByte = new AckReader();
    List<String> got = new ArrayList<>();
    for (byte b : bytes) {
      byByte.feed(new byte[] {b}, 1);
      readAll(byByte, got);
    }
    assertEquals(ids, got);

    SplittableRandom random = new SplittableRandom(3);
    AckReader randomReads = new AckReader();
    got = new ArrayList<>();
    for (int at = 0; at < bytes.length; ) {
      int n = Math.min(bytes.length - at, 1 + random.nextInt(200));
      randomReads.feed(Arrays.copyOfRange(bytes, at, at + n), n);
      at += n;
      readAll(randomReads, got);
    }
    assertEquals(ids, got);
  }

  @Test
  void somethingThatIsNotAnAckIsAnError() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(1).packString("ack").packString("ok");
    p.packMapHeader(1).packString("nack").packString("x");
    byte[] bytes = p.toByteArray();
    AckReader r = new AckReader();
    r.feed(bytes, bytes.length);
    assertEquals("ok", r.next());
    IOException e = assertThrows(IOException.class, r::next);
    assertEquals("unexpected response from server: {\"nack\":\"x\"}", e.getMessage());
  }

  @Test
  void anIncompleteAckWaitsForItsBytes() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(1).packString("ack").packString("abcdef");
    byte[] bytes = p.toByteArray();
    AckReader r = new AckReader();
    r.feed(bytes, bytes.length - 1);
    assertNull(r.next());
    r.feed(new byte[] {bytes[bytes.length - 1]}, 1);
    assertEquals("abcdef", r.next());
    assertNull(r.next());
  }
}
