package dev.tributary.testkit;

import dev.tributary.EventTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.MapValue;

/**
 * One event a {@link ForwardServer} received and stored, with the request details tests usually
 * assert on.
 *
 * <p>The record is available twice: {@link #record()} as plain Java values for easy assertions,
 * and {@link #rawRecord()} as msgpack values for asserting the exact wire type (str versus bin,
 * integer versus float).
 *
 * <p>The server keeps each record as the msgpack bytes it received, so storing millions of events
 * is cheap; {@link #record()} and {@link #rawRecord()} decode those bytes on every call (keep the
 * result if you use it often), and {@link #get(String)} decodes only the value asked for.
 *
 * <p>Immutable and thread safe; the maps and lists returned are unmodifiable and new on each
 * call.
 *
 * <pre>{@code
 * ReceivedEvent e = server.awaitEvents(1, Duration.ofSeconds(5)).get(0);
 * assertEquals("app.access", e.tag());
 * assertEquals("GET", e.get("method"));
 * Value method = e.rawRecord().map().get(ValueFactory.newString("method"));
 * assertEquals(ValueType.STRING, method.getValueType());
 * }</pre>
 */
public final class ReceivedEvent {
  private final String tag;
  private final EventTime time;
  private final TimeType timeType;
  private final byte[] recordBytes; // msgpack map, never changed
  private final EventMode mode;
  private final String chunkId;
  private final int connectionId;

  ReceivedEvent(
      String tag,
      EventTime time,
      TimeType timeType,
      byte[] recordBytes,
      EventMode mode,
      String chunkId,
      int connectionId) {
    this.tag = tag;
    this.time = time;
    this.timeType = timeType;
    this.recordBytes = recordBytes;
    this.mode = mode;
    this.chunkId = chunkId;
    this.connectionId = connectionId;
  }

  /** The tag of the request that carried this event. */
  public String tag() {
    return tag;
  }

  /** The event time; an integer time {@code s} reads as {@code EventTime.of(s, 0)}. */
  public EventTime time() {
    return time;
  }

  /** How the time was encoded on the wire. */
  public TimeType timeType() {
    return timeType;
  }

  /**
   * The record as Java values: str → {@code String}, int → {@code Long} ({@code BigInteger} above
   * {@code Long.MAX_VALUE}), float32 → {@code Float}, float64 → {@code Double}, bool → {@code
   * Boolean}, nil → {@code null}, bin → {@code byte[]}, array → {@code List<Object>}, map → {@code
   * Map<String, Object>} in wire order (non-string keys converted to strings, bin keys as UTF-8),
   * ext → {@link ExtValue}. Decoded on each call.
   */
  public Map<String, Object> record() {
    return JavaValues.map(recordBytes);
  }

  /** Same as {@code record().get(key)}, but decodes only that value. */
  public Object get(String key) {
    return JavaValues.get(recordBytes, key);
  }

  /**
   * The record as msgpack values, keeping the wire type of every value (note that msgpack-core
   * reports float32 and float64 both as {@code ValueType.FLOAT}; use {@link #record()} for that).
   */
  public MapValue rawRecord() {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(recordBytes)) {
      return in.unpackValue().asMapValue();
    } catch (IOException e) {
      throw new UncheckedIOException("a stored record no longer decodes", e);
    }
  }

  /** The mode of the request that carried this event. */
  public EventMode mode() {
    return mode;
  }

  /** The {@code chunk} option of the request that carried this event, or {@code null}. */
  public String chunkId() {
    return chunkId;
  }

  /** The id of the connection that carried this event; ids count from 1 per server. */
  public int connectionId() {
    return connectionId;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ReceivedEvent)) {
      return false;
    }
    ReceivedEvent e = (ReceivedEvent) o;
    return tag.equals(e.tag)
        && time.equals(e.time)
        && timeType == e.timeType
        && Arrays.equals(recordBytes, e.recordBytes)
        && mode == e.mode
        && Objects.equals(chunkId, e.chunkId)
        && connectionId == e.connectionId;
  }

  @Override
  public int hashCode() {
    return Objects.hash(tag, time, Arrays.hashCode(recordBytes), chunkId, connectionId);
  }

  @Override
  public String toString() {
    return "ReceivedEvent{tag=" + tag + ", time=" + time + " (" + timeType + "), record="
        + rawRecord() + ", mode=" + mode + ", chunk=" + chunkId + ", connection=" + connectionId
        + "}";
  }
}
