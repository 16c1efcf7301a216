package dev.tributary.testkit;

import dev.tributary.EventTime;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueType;

/**
 * Reads forward-protocol requests, one at a time, from a connection's msgpack stream.
 *
 * <p>The mode follows element [1] as fluentd decides it: an array is Forward, str or bin is
 * (Compressed)PackedForward, anything else is Message. A bare {@code nil} is a heartbeat and is
 * skipped; a root that is not an array is skipped and reported, and the connection goes on.
 * Anything else that is wrong throws, which ends the connection, as a real Fluentd does.
 *
 * <p>Records are kept as msgpack bytes (sliced from packed entries, copied from the stream
 * otherwise) and decoded only when a test reads them. In count-only mode entries are skipped value
 * by value and packed payloads go into one reused buffer, where {@link ValueCounter} counts them
 * by their headers, so the cost per event is a walk over a few bytes.
 *
 * <p>Not thread safe: one instance per connection, used by the connection's thread.
 */
final class RequestDecoder {
  /**
   * Packed payloads larger than this are refused instead of allocated, so that a corrupt length
   * cannot exhaust the test JVM's heap. fluentd's file buffer chunks reach 256 MiB.
   */
  static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

  /** The same guard for decompressed entries, against gzip bombs. */
  static final int MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

  private static final long MAX_SECONDS = 0xFFFF_FFFFL;
  private static final int MAX_NANOS = 999_999_999;

  private final MessageUnpacker in;
  private final boolean countOnly;
  private final Consumer<String> onIgnoredRoot;
  private final LongSupplier sizeLimit;
  private final ValueCopier copier = new ValueCopier();
  private final byte[] timeBytes = new byte[8];
  private final ArrayBufferInput payloadInput = new ArrayBufferInput(new byte[0]);
  private final MessageUnpacker payloadReader = MessagePack.newDefaultUnpacker(payloadInput);
  /** Reads each request's option map; reused, as a new unpacker makes a 16 KiB string buffer. */
  private final ArrayBufferInput optionsInput = new ArrayBufferInput(new byte[0]);
  private final MessageUnpacker optionsReader = MessagePack.newDefaultUnpacker(optionsInput);
  private byte[] payload = new byte[64 * 1024];
  private byte[] inflated = new byte[64 * 1024];
  private List<DecodedRequest.Entry> entries; // of the request being read
  private long requestStart; // of the request being read, in stream bytes
  private long requestLimit; // of the request being read

  /**
   * @param in the connection's stream
   * @param countOnly whether to count events instead of decoding them
   * @param onIgnoredRoot told why a non-array root was skipped
   * @param sizeLimit read at the start of each request: the most bytes it may take on the wire
   *     before {@link #next()} throws {@link RequestTooLarge}
   */
  RequestDecoder(MessageUnpacker in, boolean countOnly, Consumer<String> onIgnoredRoot,
      LongSupplier sizeLimit) {
    this.in = in;
    this.countOnly = countOnly;
    this.onIgnoredRoot = onIgnoredRoot;
    this.sizeLimit = sizeLimit;
  }

  /**
   * Blocks until the next request has been read completely.
   *
   * @return the request, or {@code null} when the peer closed the stream between requests
   * @throws ProtocolException for a request that breaks the protocol
   * @throws RequestTooLarge as soon as the request is known to be over the size limit
   * @throws MessagePackException for bytes that are not msgpack, or a stream that ends mid-request
   */
  DecodedRequest next() throws IOException {
    while (in.hasNext()) {
      long start = in.getTotalReadBytes();
      ValueType type = in.getNextFormat().getValueType();
      if (type == ValueType.NIL) {
        in.unpackNil();
      } else if (type != ValueType.ARRAY) {
        in.skipValue();
        onIgnoredRoot.accept("ignored a " + type + " root value: requests are arrays");
      } else {
        return readRequest(start);
      }
    }
    return null;
  }

  private DecodedRequest readRequest(long start) throws IOException {
    requestStart = start;
    requestLimit = sizeLimit.getAsLong();
    int length = in.unpackArrayHeader();
    if (length < 2) {
      throw new ProtocolException("a request has " + length + " element(s), needs at least 2");
    }
    String tag = readTag();
    entries = countOnly ? List.of() : new ArrayList<>();
    ValueType second = in.getNextFormat().getValueType();
    EventMode mode;
    long count = 0;
    int payloadLength = -1;
    int optionIndex = 2;
    switch (second) {
      case ARRAY:
        mode = EventMode.FORWARD;
        count = readForwardEntries();
        break;
      case STRING:
        mode = EventMode.PACKED_FORWARD;
        payloadLength = readPayload(withinLimit(in.unpackRawStringHeader()));
        break;
      case BINARY:
        mode = EventMode.PACKED_FORWARD;
        payloadLength = readPayload(withinLimit(in.unpackBinaryHeader()));
        break;
      case INTEGER:
      case FLOAT:
      case EXTENSION:
        if (length < 3) {
          throw new ProtocolException("a Message-mode request for tag " + tag + " has no record");
        }
        mode = EventMode.MESSAGE;
        count = 1;
        readTimeAndRecord(in, null);
        optionIndex = 3;
        break;
      default:
        throw new ProtocolException(
            "element [1] of a request must be a time, an array or packed entries, was " + second);
    }
    Options options = length > optionIndex ? readOptions() : Options.NONE;
    for (int i = optionIndex + 1; i < length; i++) {
      in.skipValue();
    }
    boolean compressed = payloadLength >= 0 && options.gzip();
    if (payloadLength >= 0) {
      // Entries are decoded only now because the option that says "gzip" follows them.
      count = readPackedEntries(payloadLength, compressed);
      if (compressed) {
        mode = EventMode.COMPRESSED_PACKED_FORWARD;
      }
    }
    long size = in.getTotalReadBytes() - start;
    withinLimit(0);
    return new DecodedRequest(
        mode, tag, entries, count, options.map(), options.chunk(), compressed, size);
  }

  private String readTag() throws IOException {
    ValueType type = in.getNextFormat().getValueType();
    if (type != ValueType.STRING) {
      throw new ProtocolException("the tag must be a str, was " + type);
    }
    return in.unpackString();
  }

  private long readForwardEntries() throws IOException {
    int n = in.unpackArrayHeader();
    for (int i = 0; i < n; i++) {
      readEntry(in, null);
      withinLimit(0);
    }
    return n;
  }

  /**
   * Checks that the request read so far, plus {@code more} bytes known to follow, is within the
   * size limit, so that an oversized request is refused before its bulk is read.
   *
   * @return {@code more}
   */
  private int withinLimit(int more) throws RequestTooLarge {
    long atLeast = in.getTotalReadBytes() - requestStart + more;
    if (atLeast > requestLimit) {
      throw new RequestTooLarge(atLeast, requestLimit);
    }
    return more;
  }

  private int readPayload(int length) throws IOException {
    if (length > MAX_PAYLOAD_BYTES) {
      throw new ProtocolException(
          "packed entries of " + length + " bytes exceed the limit of " + MAX_PAYLOAD_BYTES);
    }
    if (payload.length < length) {
      payload = new byte[Math.max(length, Math.min(MAX_PAYLOAD_BYTES, payload.length * 2))];
    }
    in.readPayload(payload, 0, length);
    return length;
  }

  private long readPackedEntries(int length, boolean gzip) throws IOException {
    byte[] source = payload;
    int sourceLength = length;
    if (gzip) {
      sourceLength = inflate(length);
      source = inflated;
    }
    if (countOnly) {
      return ValueCounter.count(source, 0, sourceLength);
    }
    payloadInput.reset(source, 0, sourceLength);
    payloadReader.reset(payloadInput);
    try {
      long count = 0;
      while (payloadReader.hasNext()) {
        readEntry(payloadReader, source);
        count++;
      }
      return count;
    } catch (MessagePackException e) {
      throw new ProtocolException("the packed entries are not valid msgpack: " + e);
    }
  }

  /** Decompresses the payload into the reused {@code inflated} buffer; returns the length. */
  private int inflate(int length) throws IOException {
    // GZIPInputStream reads concatenated members, which fluentd produces (one per append).
    try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(payload, 0, length))) {
      int total = 0;
      while (true) {
        if (total == inflated.length) {
          if (total >= MAX_INFLATED_BYTES) {
            throw new ProtocolException(
                "gzip entries inflate to more than " + MAX_INFLATED_BYTES + " bytes");
          }
          inflated = Arrays.copyOf(inflated, (int) Math.min(MAX_INFLATED_BYTES, total * 2L));
        }
        int n = unzipped.read(inflated, total, inflated.length - total);
        if (n < 0) {
          return total;
        }
        total += n;
      }
    } catch (ZipException | EOFException e) {
      throw new ProtocolException("the gzip entries cannot be decompressed: " + e);
    }
  }

  /**
   * Reads one {@code [time, record]} entry.
   *
   * @param source the array {@code reader} reads from, so the record can be sliced out of it, or
   *     {@code null} when {@code reader} reads the socket and the record must be copied
   */
  private void readEntry(MessageUnpacker reader, byte[] source) throws IOException {
    if (countOnly) {
      reader.skipValue();
      return;
    }
    ValueType type = reader.getNextFormat().getValueType();
    if (type != ValueType.ARRAY) {
      throw new ProtocolException("an entry must be a [time, record] array, was " + type);
    }
    int n = reader.unpackArrayHeader();
    if (n < 2) {
      throw new ProtocolException("an entry has " + n + " element(s), needs [time, record]");
    }
    readTimeAndRecord(reader, source);
    reader.skipValue(n - 2);
  }

  private void readTimeAndRecord(MessageUnpacker reader, byte[] source) throws IOException {
    if (countOnly) {
      reader.skipValue(2);
      return;
    }
    MessageFormat format = reader.getNextFormat();
    EventTime time;
    TimeType timeType;
    switch (format.getValueType()) {
      case INTEGER:
        time = checkedTime(reader.unpackLong(), 0);
        timeType = TimeType.INTEGER;
        break;
      case EXTENSION:
        ExtensionTypeHeader header = reader.unpackExtensionTypeHeader();
        if (header.getType() != 0 || header.getLength() != 8) {
          throw new ProtocolException("the time is ext type " + header.getType() + " of "
              + header.getLength() + " bytes; EventTime is ext type 0 of 8 bytes");
        }
        reader.readPayload(timeBytes, 0, 8);
        time = checkedTime(u32(timeBytes, 0), u32(timeBytes, 4));
        timeType = TimeType.EVENT_TIME;
        break;
      case FLOAT:
        time = floatTime(reader.unpackDouble());
        timeType = TimeType.FLOAT;
        break;
      default:
        throw new ProtocolException(
            "the time must be an integer, a float or an EventTime, was " + format.getValueType());
    }
    ValueType recordType = reader.getNextFormat().getValueType();
    if (recordType != ValueType.MAP) {
      throw new ProtocolException("a record must be a map, was " + recordType);
    }
    byte[] record;
    if (source == null) {
      record = copier.copy(reader);
    } else {
      // Skipping checks the record's structure; its bytes are then sliced, not re-encoded.
      int start = (int) reader.getTotalReadBytes();
      reader.skipValue();
      record = Arrays.copyOfRange(source, start, (int) reader.getTotalReadBytes());
    }
    entries.add(new DecodedRequest.Entry(time, timeType, record));
  }

  private Options readOptions() throws IOException {
    ValueType type = in.getNextFormat().getValueType();
    if (type == ValueType.NIL) {
      in.unpackNil();
      return Options.NONE;
    }
    if (type != ValueType.MAP) {
      throw new ProtocolException("the option must be a map, was " + type);
    }
    byte[] bytes = copier.copy(in);
    // only the two options the server acts on are decoded now; the map, when a test asks for it
    Value chunk = null;
    boolean gzip = false;
    optionsInput.reset(bytes);
    optionsReader.reset(optionsInput);
    for (int i = 0, n = optionsReader.unpackMapHeader(); i < n; i++) {
      if (optionsReader.getNextFormat().getValueType() == ValueType.STRING) {
        String key = optionsReader.unpackString();
        if (key.equals("chunk")) {
          chunk = optionsReader.unpackValue();
          continue;
        }
        if (key.equals("compressed")) {
          Value v = optionsReader.unpackValue();
          gzip = v.isStringValue() && v.asStringValue().asString().equals("gzip");
          continue;
        }
      } else {
        optionsReader.skipValue();
      }
      optionsReader.skipValue();
    }
    return new Options(new DecodedLazily(bytes), chunk == null || chunk.isNilValue() ? null : chunk, gzip);
  }

  /** An option map decoded on first use: the server itself needs only {@code chunk} and {@code compressed}. */
  private static final class DecodedLazily extends AbstractMap<String, Object> {
    private final byte[] bytes;
    private volatile Map<String, Object> decoded;

    DecodedLazily(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
      Map<String, Object> m = decoded;
      if (m == null) {
        m = JavaValues.map(bytes);
        decoded = m;
      }
      return m.entrySet();
    }
  }

  private static EventTime checkedTime(long seconds, long nanos) throws ProtocolException {
    if (seconds < 0 || seconds > MAX_SECONDS || nanos > MAX_NANOS) {
      throw new ProtocolException("the time " + seconds + "s " + nanos + "ns is out of range");
    }
    return EventTime.of(seconds, (int) nanos);
  }

  private static EventTime floatTime(double value) throws ProtocolException {
    if (!(value >= 0 && value <= MAX_SECONDS)) {
      throw new ProtocolException("the float time " + value + " is out of range");
    }
    long seconds = (long) Math.floor(value);
    long nanos = Math.round((value - seconds) * 1e9);
    if (nanos > MAX_NANOS) {
      seconds++;
      nanos = 0;
    }
    return checkedTime(seconds, nanos);
  }

  private static long u32(byte[] b, int offset) {
    return ((b[offset] & 0xFFL) << 24)
        | ((b[offset + 1] & 0xFFL) << 16)
        | ((b[offset + 2] & 0xFFL) << 8)
        | (b[offset + 3] & 0xFFL);
  }

  private record Options(Map<String, Object> map, Value chunk, boolean gzip) {
    static final Options NONE = new Options(Map.of(), null, false);
  }
}
