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
 *
 * <p>Acks come by the hundred per read when chunks are small (many tags), so {@link #next()} reads
 * the usual form, a one-entry map whose key is the str {@code "ack"} and whose value is a str or
 * bin, straight from the bytes, allocating only the id; anything else goes through msgpack-core.
 * Bytes are consumed by moving an offset, and moved to the front only when a read needs the room.
 */
final class AckReader {

  private static final Value ACK_KEY = ValueFactory.newString("ack");

  private byte[] buf = new byte[256];
  /** The unread bytes are {@code buf[start..end)}. */
  private int start;
  private int end;

  void feed(byte[] b, int n) {
    if (end + n > buf.length) {
      int unread = end - start;
      if (unread + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, unread + n));
      }
      System.arraycopy(buf, start, buf, 0, unread);
      start = 0;
      end = unread;
    }
    System.arraycopy(b, 0, buf, end, n);
    end += n;
  }

  /**
   * The next complete ack id, or null when more bytes are needed.
   *
   * @throws IOException if the server sent something that is not an ack
   */
  String next() throws IOException {
    while (start < end) {
      int p = start;
      byte[] b = buf;
      if (end - p > 5 && b[p] == (byte) 0x81 && b[p + 1] == (byte) 0xa3 && b[p + 2] == 'a' && b[p + 3] == 'c'
          && b[p + 4] == 'k') {
        p += 5;
        int f = b[p] & 0xff;
        int n = -1;
        if ((f & 0xe0) == 0xa0) {
          n = f & 0x1f;
          p += 1;
        } else if (f == 0xd9 || f == 0xc4) {
          if (end - p < 2) {
            return null;
          }
          n = b[p + 1] & 0xff;
          p += 2;
        } else if (f == 0xda || f == 0xc5) {
          if (end - p < 3) {
            return null;
          }
          n = (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff);
          p += 3;
        }
        if (n >= 0) {
          if (end - p < n) {
            return null;
          }
          start = p + n;
          return new String(b, p, n, StandardCharsets.UTF_8);
        }
      }
      Value v = nextValue();
      if (v == null) {
        return null;
      }
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
    if (start == end) {
      return null;
    }
    Value v;
    int used;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(buf, start, end - start)) {
      v = u.unpackValue();
      used = (int) u.getTotalReadBytes();
    } catch (MessageInsufficientBufferException incomplete) {
      return null;
    }
    start += used;
    return v;
  }
}
