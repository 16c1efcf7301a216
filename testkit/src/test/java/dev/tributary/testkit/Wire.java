package dev.tributary.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/** Hand-written msgpack for the tests: the bytes a forward client would send. */
final class Wire {
  private Wire() {}

  interface Writer {
    void write(MessagePacker p) throws IOException;
  }

  static byte[] pack(Writer writer) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      writer.write(p);
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** The forward protocol's EventTime: fixext8, ext type 0, seconds and nanos big-endian. */
  static void eventTime(MessagePacker p, long seconds, int nanos) throws IOException {
    p.packExtensionTypeHeader((byte) 0, 8);
    p.writePayload(ByteBuffer.allocate(8).putInt((int) seconds).putInt(nanos).array());
  }

  /** Packs plain Java values; Float stays float32, Double float64. */
  static void value(MessagePacker p, Object v) throws IOException {
    if (v == null) {
      p.packNil();
    } else if (v instanceof String) {
      p.packString((String) v);
    } else if (v instanceof Integer || v instanceof Long) {
      p.packLong(((Number) v).longValue());
    } else if (v instanceof BigInteger) {
      p.packBigInteger((BigInteger) v);
    } else if (v instanceof Float) {
      p.packFloat((Float) v);
    } else if (v instanceof Double) {
      p.packDouble((Double) v);
    } else if (v instanceof Boolean) {
      p.packBoolean((Boolean) v);
    } else if (v instanceof byte[]) {
      p.packBinaryHeader(((byte[]) v).length);
      p.writePayload((byte[]) v);
    } else if (v instanceof List) {
      p.packArrayHeader(((List<?>) v).size());
      for (Object o : (List<?>) v) {
        value(p, o);
      }
    } else if (v instanceof Map) {
      p.packMapHeader(((Map<?, ?>) v).size());
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        value(p, e.getKey());
        value(p, e.getValue());
      }
    } else {
      throw new IllegalArgumentException("cannot pack " + v.getClass());
    }
  }

  /** A Message-mode request with an EventTime, and a chunk option when {@code chunk != null}. */
  static byte[] message(String tag, long seconds, int nanos, Map<String, ?> record, String chunk) {
    return pack(p -> {
      p.packArrayHeader(chunk == null ? 3 : 4);
      p.packString(tag);
      eventTime(p, seconds, nanos);
      value(p, record);
      if (chunk != null) {
        value(p, Map.of("chunk", chunk));
      }
    });
  }

  /** A Forward-mode request; entry i has EventTime (seconds + i, 0). */
  static byte[] forward(String tag, long seconds, List<Map<String, ?>> records, String chunk) {
    return pack(p -> {
      p.packArrayHeader(chunk == null ? 2 : 3);
      p.packString(tag);
      p.packArrayHeader(records.size());
      for (int i = 0; i < records.size(); i++) {
        p.packArrayHeader(2);
        eventTime(p, seconds + i, 0);
        value(p, records.get(i));
      }
      if (chunk != null) {
        value(p, Map.of("chunk", chunk));
      }
    });
  }

  /** Concatenated {@code [time, record]} entries; entry i has EventTime (seconds + i, i). */
  static byte[] entries(long seconds, List<Map<String, ?>> records) {
    return pack(p -> {
      for (int i = 0; i < records.size(); i++) {
        p.packArrayHeader(2);
        eventTime(p, seconds + i, i);
        value(p, records.get(i));
      }
    });
  }

  /** A PackedForward request with the entries as bin. */
  static byte[] packed(String tag, byte[] entries, Map<String, ?> options) {
    return pack(p -> {
      p.packArrayHeader(3);
      p.packString(tag);
      p.packBinaryHeader(entries.length);
      p.writePayload(entries);
      value(p, options);
    });
  }

  /** Gzip as fluentd writes it: one member per call, concatenated. */
  static byte[] gzipMembers(byte[]... members) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] member : members) {
      try (GZIPOutputStream gz = new GZIPOutputStream(new NonClosing(out))) {
        gz.write(member);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toByteArray();
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(java.io.OutputStream out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
