package dev.tributary.internal.filter;

import dev.tributary.Filter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fluentd's {@code record_transformer}: sets fields from templates with placeholders, renames,
 * removes and keeps fields. In this order: {@code rename} (Tributary's addition), {@code
 * renew_record} / {@code keep_keys}, the {@code <record>} fields, {@code remove_keys}. Every
 * template is rendered against the record as it came in before anything is set, as in Fluentd.
 * Immutable, thread safe.
 */
public final class RecordTransformerFilter implements Filter, TopLevelChanges {

  private final RecordPath[] setPaths;
  private final Template[] templates;
  private final RecordPath[] removeKeys;
  private final String[] keepKeys;
  private final RecordPath[] renameFrom;
  private final RecordPath[] renameTo;
  private final boolean renewRecord;
  private final boolean autoTypecast;
  /**
   * Whether templates read the record: then all are rendered before anything changes it, as in
   * Fluentd. Otherwise each is rendered as its field is set, with nothing kept in between.
   */
  private final boolean renderFirst;

  /**
   * @param record field name (a key, or a path such as {@code $.user.id}) → template
   * @param rename old field → new field
   */
  public RecordTransformerFilter(Map<String, String> record, List<String> removeKeys, List<String> keepKeys,
      Map<String, String> rename, boolean renewRecord, boolean autoTypecast, String hostname,
      Function<String, String> env) {
    this.setPaths = new RecordPath[record.size()];
    this.templates = new Template[record.size()];
    int i = 0;
    for (Map.Entry<String, String> e : record.entrySet()) {
      setPaths[i] = RecordPath.parse(e.getKey());
      templates[i] = Template.parse(e.getValue(), hostname, env);
      i++;
    }
    this.removeKeys = removeKeys.stream().map(RecordPath::parse).toArray(RecordPath[]::new);
    this.keepKeys = keepKeys.toArray(new String[0]);
    this.renameFrom = rename.keySet().stream().map(RecordPath::parse).toArray(RecordPath[]::new);
    this.renameTo = rename.values().stream().map(RecordPath::parse).toArray(RecordPath[]::new);
    this.renewRecord = renewRecord;
    this.autoTypecast = autoTypecast;
    boolean reads = false;
    for (Template t : templates) {
      reads |= t.readsRecord();
    }
    this.renderFirst = reads;
  }

  @Override
  public boolean filter(Event event) {
    Map<String, Object> r = event.record();
    Object[] values = null;
    if (renderFirst) {
      values = new Object[templates.length];
      for (int i = 0; i < templates.length; i++) {
        values[i] = templates[i].render(event, autoTypecast);
      }
    }
    for (int i = 0; i < renameFrom.length; i++) {
      if (renameFrom[i].get(r) != null || containsTop(r, renameFrom[i])) {
        Object v = renameFrom[i].remove(r);
        renameTo[i].set(r, v);
      }
    }
    if (renewRecord) {
      Map<String, Object> kept = new LinkedHashMap<>();
      for (String k : keepKeys) {
        if (r.containsKey(k)) {
          kept.put(k, r.get(k));
        }
      }
      r.clear();
      r.putAll(kept);
    }
    for (int i = 0; i < setPaths.length; i++) {
      setPaths[i].set(r, renderFirst ? values[i] : templates[i].render(event, autoTypecast));
    }
    for (RecordPath p : removeKeys) {
      p.remove(r);
    }
    return true;
  }

  private static boolean containsTop(Map<String, Object> r, RecordPath p) {
    return p.topLevel() && r.containsKey((String) p.first());
  }

  @Override
  public boolean changesTopLevelOnly() {
    for (RecordPath[] paths : new RecordPath[][] {setPaths, removeKeys, renameFrom, renameTo}) {
      for (RecordPath p : paths) {
        if (!p.topLevel()) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "record_transformer";
  }
}
