package dev.tributary.internal.filter;

import dev.tributary.Filter;
import java.util.Collection;
import java.util.Map;

/**
 * What one event's run through the filters reuses from the last: the record map its fields are
 * copied into (the application's map is never handed to a filter) and, before a filter whose
 * failure keeps the event, a copy of the event to put back if it throws. One per pooled encoder,
 * so an emit nested in a filter (a filter that logs) gets its own.
 *
 * <p>Reused rather than made per event: a record map made per event costs an allocation and,
 * in a heap the process has not written all of yet, page faults; a reused one's field names are
 * usually the same objects as last time, found in place and not written again.
 *
 * <p>Not thread safe: used by one emit at a time, which calls {@link #release} when done.
 */
public final class FilterScratch {

  /** A record map grown past this many fields is not kept for the next event. */
  private static final int KEEP_FIELDS = 256;

  private RecordMap record = new RecordMap(16);
  private final Records.MapWriter writer = new Records.MapWriter(asRecord(record));

  /** The event before the filter now running: its tag, and its record's fields. */
  private String savedTag;
  private RecordMap saved = new RecordMap(16);
  /** A record that is not one of ours (a copy's record, as a filter made it), saved whole. */
  private Map<String, Object> savedOther;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asRecord(RecordMap m) {
    return (Map<String, Object>) (Map<?, ?>) m;
  }

  /**
   * {@code source} copied into the reused record map, nested maps and collections copied as {@link
   * Records#copy} does. A null map is an empty record.
   */
  public Map<String, Object> copyOf(Map<String, ?> source) {
    if (source != null) {
      Records.copyInto(record, source, 0);
    }
    return asRecord(record);
  }

  /** A writer that fills the reused record map: the adapters' fields, for the filters. */
  public Records.MapWriter writer() {
    return writer;
  }

  /** The record the writer filled. */
  public Map<String, Object> written() {
    return asRecord(record);
  }

  /** Forgets the event: the reused maps hold no reference to its values until the next one. */
  public void release() {
    record = reusable(record);
    writer.into(asRecord(record));
    if (savedTag != null) {
      savedTag = null;
      savedOther = null;
      saved = reusable(saved);
    }
  }

  private static RecordMap reusable(RecordMap m) {
    if (m.size() > KEEP_FIELDS) {
      return new RecordMap(16);
    }
    m.reset();
    return m;
  }

  /**
   * Keeps what {@code event} is now, so {@link #restore} can put it back. Nested maps and
   * collections are copied, since a filter may change them in place, unless the filter changes
   * the {@code topLevelOnly}; strings, numbers and other values are shared (a filter replaces
   * them, it cannot change them).
   */
  void save(Filter.Event event, boolean topLevelOnly) {
    savedTag = event.tag();
    Map<?, ?> any = event.record();
    if (any instanceof RecordMap) {
      ((RecordMap) any).copyTo(saved);
      if (!topLevelOnly) {
        for (int i = 0, n = saved.size(); i < n; i++) {
          Object v = saved.valueAt(i);
          if (!Records.leaf(v) && (v instanceof Map || v instanceof Collection)) {
            saved.setValueAt(i, Records.copyValue(v, 1));
          }
        }
      }
      savedOther = null;
    } else {
      savedOther = Records.copy(event.record());
    }
  }

  /** Puts back the tag and record {@link #save} kept; the event's record is the same map still. */
  void restore(Filter.Event event) {
    event.tag(savedTag);
    Map<String, Object> r = event.record();
    Map<?, ?> any = r;
    if (savedOther == null && any instanceof RecordMap) {
      saved.copyTo((RecordMap) any);
    } else {
      r.clear();
      r.putAll(savedOther);
    }
  }
}
