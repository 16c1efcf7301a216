package dev.tributary.internal.forward;

import dev.tributary.internal.buffer.Chunk;
import dev.tributary.internal.codec.MsgpackBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a chunk as one PackedForward or CompressedPackedForward request:
 * {@code [tag, entries, {"size": n, "chunk": id?, "compressed": "gzip"?}]}.
 *
 * <p>Entries go as bin ({@code 0xc6}), which fluentd and Fluent Bit both accept; in legacy mode
 * they go as str, the only raw type msgpack had before 2013. Flusher thread only.
 */
final class RequestFramer {

  private static final byte[] SIZE = MsgpackBuffer.utf8("size");
  private static final byte[] CHUNK = MsgpackBuffer.utf8("chunk");
  private static final byte[] COMPRESSED = MsgpackBuffer.utf8("compressed");
  private static final byte[] GZIP = MsgpackBuffer.utf8("gzip");

  private final boolean gzip;
  private final boolean legacy;
  private final MsgpackBuffer head;
  private final MsgpackBuffer tail;

  RequestFramer(boolean gzip, boolean legacy) {
    this.gzip = gzip;
    this.legacy = legacy;
    this.head = new MsgpackBuffer(256, !legacy);
    this.tail = new MsgpackBuffer(128, !legacy);
  }

  /** Bytes a request adds around its entries, at most, for a tag of {@code tagBytes} bytes. */
  static int overhead(int tagBytes) {
    return 1 + 5 + tagBytes + 5 + 128;
  }

  /** Writes the request for {@code chunk} to {@code out} (not flushed); returns its size in bytes. */
  long write(Chunk chunk, OutputStream out) throws IOException {
    byte[] payload = null;
    int entriesLength = chunk.size();
    if (gzip) {
      payload = chunk.compressed();
      if (payload == null) {
        payload = compress(chunk);
        chunk.compressed(payload);
      }
      entriesLength = payload.length;
    }
    head.reset();
    head.writeArrayHeader(3);
    head.writeString(chunk.tag());
    if (legacy) {
      head.writeStringHeader(entriesLength);
    } else {
      head.writeBinaryHeader(entriesLength);
    }
    tail.reset();
    int entries = 1 + (chunk.id() != null ? 1 : 0) + (gzip ? 1 : 0);
    tail.writeMapHeader(entries);
    tail.writeUtf8(SIZE);
    tail.writeLong(chunk.records());
    if (chunk.id() != null) {
      tail.writeUtf8(CHUNK);
      tail.writeString(chunk.id());
    }
    if (gzip) {
      tail.writeUtf8(COMPRESSED);
      tail.writeUtf8(GZIP);
    }
    out.write(head.array(), 0, head.size());
    if (payload != null) {
      out.write(payload);
    } else {
      chunk.writeTo(out);
    }
    out.write(tail.array(), 0, tail.size());
    return (long) head.size() + entriesLength + tail.size();
  }

  private static byte[] compress(Chunk chunk) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, chunk.size() / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 8192)) {
      chunk.writeTo(gz);
    }
    return bytes.toByteArray();
  }
}
