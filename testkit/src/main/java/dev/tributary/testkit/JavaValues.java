package dev.tributary.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Turns msgpack into plain Java values, as documented on {@link ReceivedEvent#record()}. It reads
 * the format of each value, not a decoded {@code Value}, because only the format still tells
 * float32 from float64.
 *
 * <p>Stateless and thread safe.
 */
final class JavaValues {
  private JavaValues() {}

  /** Decodes a msgpack map, given as its bytes, into an unmodifiable map in wire order. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(byte[] msgpackMap) {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(msgpackMap)) {
      return (Map<String, Object>) read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("a stored record no longer decodes", e);
    }
  }

  /**
   * Decodes only the value under {@code key} of a msgpack map (the last one if the key repeats),
   * skipping the others, or returns {@code null} without such a key.
   */
  static Object get(byte[] msgpackMap, String key) {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(msgpackMap)) {
      Object found = null;
      int n = in.unpackMapHeader();
      for (int i = 0; i < n; i++) {
        if (keyString(read(in)).equals(key)) {
          found = read(in);
        } else {
          in.skipValue();
        }
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("a stored record no longer decodes", e);
    }
  }

  /** Reads the next value of {@code in} as Java objects. */
  static Object read(MessageUnpacker in) throws IOException {
    MessageFormat format = in.getNextFormat();
    ValueType type = format.getValueType();
    switch (type) {
      case NIL:
        in.unpackNil();
        return null;
      case BOOLEAN:
        return in.unpackBoolean();
      case INTEGER:
        if (format == MessageFormat.UINT64) {
          BigInteger big = in.unpackBigInteger();
          return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
        }
        return in.unpackLong();
      case FLOAT:
        return format == MessageFormat.FLOAT32 ? (Object) in.unpackFloat() : in.unpackDouble();
      case STRING:
        return new String(in.readPayload(in.unpackRawStringHeader()), StandardCharsets.UTF_8);
      case BINARY:
        return in.readPayload(in.unpackBinaryHeader());
      case ARRAY:
        int size = in.unpackArrayHeader();
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          list.add(read(in));
        }
        return Collections.unmodifiableList(list);
      case MAP:
        int entries = in.unpackMapHeader();
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, entries * 2));
        for (int i = 0; i < entries; i++) {
          String key = keyString(read(in));
          map.put(key, read(in));
        }
        return Collections.unmodifiableMap(map);
      case EXTENSION:
        ExtensionTypeHeader header = in.unpackExtensionTypeHeader();
        return new ExtValue(header.getType(), in.readPayload(header.getLength()));
      default:
        throw new IllegalStateException("unexpected msgpack type " + type);
    }
  }

  /** Map keys become strings: bin keys as UTF-8, anything else by {@code String.valueOf}. */
  static String keyString(Object key) {
    if (key instanceof byte[]) {
      return new String((byte[]) key, StandardCharsets.UTF_8);
    }
    return String.valueOf(key);
  }
}
