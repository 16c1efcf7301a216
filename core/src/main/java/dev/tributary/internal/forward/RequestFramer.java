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
  private final Scratch compressed = new Scratch();
  private static final int SCRATCH_KEPT = 1024 * 1024;

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
    int entriesLength = chunk.size();
    if (gzip) {
      // compressed again on a resend rather than kept per chunk: one scratch buffer, the size of
      // one request at most, instead of a compressed copy of every chunk in flight
      compressed.reset();
      try (GZIPOutputStream gz = new GZIPOutputStream(compressed, 8192)) {
        chunk.writeTo(gz);
      }
      entriesLength = compressed.size();
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
    if (gzip) {
      compressed.writeTo(out);
      compressed.shrink(SCRATCH_KEPT);
    } else {
      chunk.writeTo(out);
    }
    out.write(tail.array(), 0, tail.size());
    return (long) head.size() + entriesLength + tail.size();
  }

  /** A byte sink that can be emptied and written out without a copy. */
  private static final class Scratch extends ByteArrayOutputStream {
    Scratch() {
      super(64 * 1024);
    }

    /** Lets go of a large array after a large request, so it is not held for good. */
    void shrink(int max) {
      if (buf.length > max) {
        buf = new byte[max];
      }
      count = 0;
    }

    @Override
    public void close() {
      // GZIPOutputStream closes its sink; the scratch stays usable
    }
  }
}
