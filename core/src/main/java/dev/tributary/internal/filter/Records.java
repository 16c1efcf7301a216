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

  private static Map<String, Object> copyMap(Map<?, ?> m, int depth) {
    RecordMap c = new RecordMap(m.size() + 4); // room for the fields a filter adds
    copyInto(c, m, depth);
    return asRecord(c);
  }

  /**
   * Adds {@code m}'s fields to {@code into} (empty), values copied as {@link #copyValue} does at
   * {@code depth + 1}. The keys of the JDK's maps are distinct by {@code equals}, so they are
   * appended without a lookup; other maps (an {@code IdentityHashMap}, a map of the application's
   * own) are put field by field.
   */
  static void copyInto(RecordMap into, Map<?, ?> m, int depth) {
    boolean distinct = m instanceof java.util.HashMap || m instanceof java.util.TreeMap
        || m instanceof RecordMap || m instanceof java.util.concurrent.ConcurrentHashMap;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object v = e.getValue();
      if (!leaf(v)) {
        v = copyValue(v, depth + 1);
      }
      if (distinct) {
        into.append(e.getKey(), v);
      } else {
        into.put(e.getKey(), v);
      }
    }
  }

  /**
   * Whether {@code v} is one of the values most fields hold, none of which is a container: text, a
   * number, a boolean or null. Checks for classes, which are quicker than for interfaces.
   */
  static boolean leaf(Object v) {
    return v instanceof String || v instanceof Number || v instanceof Boolean || v == null;
  }

  /** A value as {@link #copy} copies it: maps and collections copied, anything else as it is. */
  public static Object copyValue(Object v, int depth) {
    if (leaf(v) || depth >= EventEncoder.MAX_DEPTH) {
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

    private Map<String, Object> record;

    /** A writer that puts the fields into {@code record}. */
    MapWriter(Map<String, Object> record) {
      this.record = record;
    }

    /** Writes into {@code record} from now on. */
    void into(Map<String, Object> record) {
      this.record = record;
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
