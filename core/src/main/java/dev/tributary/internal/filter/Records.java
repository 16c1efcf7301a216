package dev.tributary.internal.filter;

import dev.tributary.RecordWriter;
import dev.tributary.internal.codec.EventEncoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Records as the filters see them: a mutable map of the event's own in field order ({@link
 * RecordMap}), whatever the application passed. Stateless.
 */
public final class Records {

  private Records() {}

  /** A new, empty record map, in field order, for {@code capacity} fields before it grows. */
  public static Map<String, Object> newRecord(int capacity) {
    return asRecord(new RecordMap(capacity));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asRecord(RecordMap m) {
    return (Map<String, Object>) (Map<?, ?>) m;
  }

  /**
   * A copy of {@code record} that filters may change at any level: maps become record
   * maps, other collections {@code ArrayList}s, to {@link EventEncoder#MAX_DEPTH}
   * levels (deeper, the original object is kept, so the encoder still meets a cycle as one).
   * Other values are kept as they are.
   */
  public static Map<String, Object> copy(Map<String, ?> record) {
    if (record == null) {
      return asRecord(new RecordMap(8));
    }
    return copyMap(record, 0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copyMap(Map<?, ?> m, int depth) {
    RecordMap c = new RecordMap(m.size() + 4); // room for the fields a filter adds
    for (Map.Entry<?, ?> e : m.entrySet()) {
      c.put(e.getKey(), copyValue(e.getValue(), depth + 1));
    }
    return asRecord(c);
  }

  /** A value as {@link #copy} copies it: maps and collections copied, anything else as it is. */
  public static Object copyValue(Object v, int depth) {
    if (v instanceof String || v == null || depth >= EventEncoder.MAX_DEPTH) {
      return v;
    }
    if (v instanceof Map) {
      return copyMap((Map<?, ?>) v, depth);
    }
    if (v instanceof Collection) {
      Collection<?> c = (Collection<?>) v;
      List<Object> l = new ArrayList<>(c.size());
      for (Object o : c) {
        l.add(copyValue(o, depth + 1));
      }
      return l;
    }
    return v;
  }

  /**
   * A {@link RecordWriter} that fills a map instead of an encoding: the logging adapters' fields
   * made visible to filters. Text from a reused builder becomes a {@code String}; a map or list
   * value is copied as {@link #copy} does.
   */
  public static final class MapWriter implements RecordWriter {

    private final Map<String, Object> record = asRecord(new RecordMap(24));

    /** The fields written so far. */
    public Map<String, Object> record() {
      return record;
    }

    @Override
    public RecordWriter field(String key, String value) {
      record.put(key, value);
      return this;
    }

    @Override
    public RecordWriter field(String key, CharSequence value) {
      record.put(key, value == null ? null : value.toString());
      return this;
    }

    @Override
    public RecordWriter field(String key, long value) {
      record.put(key, value);
      return this;
    }

    @Override
    public RecordWriter field(String key, double value) {
      record.put(key, value);
      return this;
    }

    @Override
    public RecordWriter field(String key, boolean value) {
      record.put(key, value);
      return this;
    }

    @Override
    public RecordWriter field(String key, Object value) {
      record.put(key, copyValue(value, 1));
      return this;
    }
  }
}
