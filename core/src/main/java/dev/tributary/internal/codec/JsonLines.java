package dev.tributary.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;

/**
 * Turns a chunk's encoded entries ({@code [time, record]} in msgpack, as {@link EventEncoder}
 * writes them) into JSON lines, one event a line:
 *
 * <pre>{@code {"time":"2026-12-01T07:00:00.123456789Z","tag":"app.orders","record":{"id":42,"amount":9.99}}}</pre>
 *
 * <p>The time is ISO-8601 in UTC with all nine fraction digits (an integer time has {@code
 * .000000000}); the record keeps its types: integers and floats as JSON numbers (an unsigned 64-bit
 * integer past {@code Long.MAX_VALUE} too; NaN and infinities as the strings {@code "NaN"}, {@code
 * "Infinity"}, {@code "-Infinity"}), booleans, null, strings, nested maps and arrays; binary
 * values as base64 strings; an EventTime inside the record as a time string like the event's;
 * other extension values as base64 of their data; a map key that is not a string as its JSON text.
 *
 * <p>Not thread safe: one per output worker, which reuses its buffers from chunk to chunk.
 *
 * <pre>{@code
 * JsonLines json = new JsonLines();
 * json.render("app", entries, entries.length);
 * System.out.write(json.array(), 0, json.size()); // valid until the next render
 * }</pre>
 */
public final class JsonLines {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendInstant(9).toFormatter();
  private static final MinimalPrettyPrinter NO_SEPARATOR = new MinimalPrettyPrinter("");

  /** The lines of the last call. */
  private final Buffer out = new Buffer();
  private final ArrayBufferInput input = new ArrayBufferInput(new byte[0]);

  /** A growable buffer whose array is read in place. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(8192);
    }

    byte[] array() {
      return buf;
    }
  }

  /**
   * Renders {@code len} bytes of entries of {@code tag}; the result is {@link #array()} up to
   * {@link #size()}, valid until the next call.
   *
   * @throws IOException if the entries are not what the encoder writes
   */
  public void render(String tag, byte[] entries, int len) throws IOException {
    out.reset();
    input.reset(entries, 0, len);
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(input);
         JsonGenerator gen = FACTORY.createGenerator(out)) {
      gen.setPrettyPrinter(NO_SEPARATOR);
      while (in.hasNext()) {
        int n = in.unpackArrayHeader();
        if (n < 2) {
          throw new IOException("entry of " + n + " elements, expected [time, record]");
        }
        gen.writeStartObject();
        gen.writeFieldName("time");
        writeTime(in, gen);
        gen.writeStringField("tag", tag);
        gen.writeFieldName("record");
        writeValue(in, gen);
        for (int i = 2; i < n; i++) {
          in.skipValue();
        }
        gen.writeEndObject();
        gen.writeRaw('\n');
      }
    }
  }

  /** The rendered lines. */
  public byte[] array() {
    return out.array();
  }

  public int size() {
    return out.size();
  }

  private static void writeTime(MessageUnpacker in, JsonGenerator gen) throws IOException {
    MessageFormat f = in.getNextFormat();
    switch (f.getValueType()) {
      case INTEGER:
        gen.writeString(TIME.format(Instant.ofEpochSecond(in.unpackLong())));
        return;
      case FLOAT:
        double d = in.unpackDouble();
        long s = (long) Math.floor(d);
        gen.writeString(TIME.format(Instant.ofEpochSecond(s, (long) ((d - s) * 1e9))));
        return;
      case EXTENSION:
        writeValue(in, gen);
        return;
      default:
        throw new IOException("event time of msgpack type " + f.getValueType());
    }
  }

  private static void writeValue(MessageUnpacker in, JsonGenerator gen) throws IOException {
    MessageFormat f = in.getNextFormat();
    switch (f.getValueType()) {
      case NIL:
        in.unpackNil();
        gen.writeNull();
        return;
      case BOOLEAN:
        gen.writeBoolean(in.unpackBoolean());
        return;
      case INTEGER:
        if (f == MessageFormat.UINT64) {
          BigInteger big = in.unpackBigInteger();
          if (big.bitLength() < 64) {
            gen.writeNumber(big.longValue());
          } else {
            gen.writeNumber(big);
          }
        } else {
          gen.writeNumber(in.unpackLong());
        }
        return;
      case FLOAT:
        if (f == MessageFormat.FLOAT32) {
          gen.writeNumber(in.unpackFloat());
        } else {
          gen.writeNumber(in.unpackDouble());
        }
        return;
      case STRING:
        gen.writeString(in.unpackString());
        return;
      case BINARY:
        gen.writeBinary(in.readPayload(in.unpackBinaryHeader()));
        return;
      case ARRAY:
        int n = in.unpackArrayHeader();
        gen.writeStartArray();
        for (int i = 0; i < n; i++) {
          writeValue(in, gen);
        }
        gen.writeEndArray();
        return;
      case MAP:
        int m = in.unpackMapHeader();
        gen.writeStartObject();
        for (int i = 0; i < m; i++) {
          if (in.getNextFormat().getValueType() == org.msgpack.value.ValueType.STRING) {
            gen.writeFieldName(in.unpackString());
          } else {
            gen.writeFieldName(in.unpackValue().toJson());
          }
          writeValue(in, gen);
        }
        gen.writeEndObject();
        return;
      case EXTENSION:
      default:
        var header = in.unpackExtensionTypeHeader();
        byte[] data = in.readPayload(header.getLength());
        if (header.getType() == 0 && data.length == 8) {
          ByteBuffer b = ByteBuffer.wrap(data);
          long seconds = b.getInt() & 0xFFFF_FFFFL;
          long nanos = b.getInt() & 0xFFFF_FFFFL;
          gen.writeString(TIME.format(Instant.ofEpochSecond(seconds, nanos)));
        } else {
          gen.writeBinary(data);
        }
    }
  }
}
