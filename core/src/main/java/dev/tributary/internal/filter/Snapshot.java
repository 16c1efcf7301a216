package dev.tributary.internal.filter;

import dev.tributary.Filter;
import java.util.Collection;
import java.util.Map;

/**
 * An event as it was before a filter ran, to put back if that filter throws and its failure keeps
 * the event. Made per event and filter: young objects, cheap to write into.
 */
final class Snapshot {

  private final String tag;
  /** The record's fields, when the record is one of ours. */
  private final RecordMap fields;
  /** A record that is not one of ours (a copy's record, as a filter made it), copied whole. */
  private final Map<String, Object> other;

  private Snapshot(String tag, RecordMap fields, Map<String, Object> other) {
    this.tag = tag;
    this.fields = fields;
    this.other = other;
  }

  /**
   * What {@code event} is now. Nested maps and collections are copied, since a filter may change
   * them in place, unless the filter changes the {@code topLevelOnly}; strings, numbers and other
   * values are shared (a filter replaces them, it cannot change them).
   */
  static Snapshot of(Filter.Event event, boolean topLevelOnly) {
    Map<?, ?> r = event.record();
    if (!(r instanceof RecordMap)) {
      return new Snapshot(event.tag(), null, Records.copy(event.record()));
    }
    RecordMap m = (RecordMap) r;
    RecordMap saved = new RecordMap(m.size());
    m.copyTo(saved);
    for (int i = 0, n = topLevelOnly ? 0 : saved.size(); i < n; i++) {
      Object v = saved.valueAt(i);
      if (!Records.leaf(v) && (v instanceof Map || v instanceof Collection)) {
        saved.setValueAt(i, Records.copyValue(v, 1));
      }
    }
    return new Snapshot(event.tag(), saved, null);
  }

  /** Puts back the tag and the record's fields; the event's record is the same map still. */
  void restore(Filter.Event event) {
    event.tag(tag);
    Map<String, Object> r = event.record();
    Map<?, ?> any = r;
    if (fields != null && any instanceof RecordMap) {
      fields.copyTo((RecordMap) any);
    } else {
      r.clear();
      r.putAll(other);
    }
  }
}
