package dev.tributary.testkit;

import dev.tributary.EventTime;
import java.util.List;
import java.util.Map;
import org.msgpack.value.Value;

/**
 * A request as read off the wire, before the connection decides (faults) whether to store and ack
 * it. In count-only mode {@code entries} is empty and only {@code eventCount} is set.
 */
record DecodedRequest(
    EventMode mode,
    String tag,
    List<Entry> entries,
    long eventCount,
    Map<String, Object> options,
    Value chunk,
    boolean compressed,
    long sizeInBytes) {

  /** The {@code chunk} option as text for reports, or {@code null} without one. */
  String chunkId() {
    if (chunk == null) {
      return null;
    }
    return chunk.isStringValue() ? chunk.asStringValue().asString() : chunk.toJson();
  }

  /** One decoded {@code [time, record]} pair; the record stays msgpack until a test reads it. */
  record Entry(EventTime time, TimeType timeType, byte[] record) {}
}
