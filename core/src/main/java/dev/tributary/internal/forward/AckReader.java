package dev.tributary.internal.forward;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Cuts the server's byte stream into msgpack values, however the bytes were split across reads:
 * the handshake's HELO and PONG, then ack responses {@code {"ack": id}}. One thread at a time (the
 * connecting thread during the handshake, then the connection's reader thread).
 */
final class AckReader {

  private static final Value ACK_KEY = ValueFactory.newString("ack");

  private byte[] buf = new byte[256];
  private int len;

  void feed(byte[] b, int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
    System.arraycopy(b, 0, buf, len, n);
    len += n;
  }

  /**
   * The next complete ack id, or null when more bytes are needed.
   *
   * @throws IOException if the server sent something that is not an ack
   */
  String next() throws IOException {
    Value v;
    while ((v = nextValue()) != null) {
      if (v.isNilValue()) {
        continue;
      }
      if (v.isMapValue()) {
        Value ack = v.asMapValue().map().get(ACK_KEY);
        if (ack != null && ack.isStringValue()) {
          return new String(ack.asStringValue().asByteArray(), StandardCharsets.UTF_8);
        }
        if (ack != null && ack.isBinaryValue()) {
          return new String(ack.asBinaryValue().asByteArray(), StandardCharsets.UTF_8);
        }
      }
      throw new IOException("unexpected response from server: " + v);
    }
    return null;
  }

  /** The next complete msgpack value, or null when more bytes are needed. */
  Value nextValue() throws IOException {
    if (len == 0) {
      return null;
    }
    Value v;
    int used;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(buf, 0, len)) {
      v = u.unpackValue();
      used = (int) u.getTotalReadBytes();
    } catch (MessageInsufficientBufferException incomplete) {
      return null;
    }
    System.arraycopy(buf, used, buf, 0, len - used);
    len -= used;
    return v;
  }
}
