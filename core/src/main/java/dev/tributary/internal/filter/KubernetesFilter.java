package dev.tributary.internal.filter;

import dev.tributary.Filter;
import java.util.Map;

/**
 * Adds the pod's identity ({@link KubernetesMetadata}, read once when the filter is made) to
 * every record, as a map under {@code key} (default {@code kubernetes}); each record gets a copy
 * of its own. Does nothing when there is no identity to add (not in Kubernetes). Immutable,
 * thread safe.
 */
public final class KubernetesFilter implements Filter {

  private final String key;
  private final Map<String, Object> metadata;

  public KubernetesFilter(String key, Map<String, Object> metadata) {
    this.key = key;
    this.metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }

  /** What is added to each record (empty: nothing). */
  public Map<String, Object> metadata() {
    return metadata;
  }

  @Override
  public boolean filter(Event event) {
    if (!metadata.isEmpty()) {
      event.record().put(key, Records.copy(metadata));
    }
    return true;
  }

  @Override
  public String toString() {
    return "kubernetes";
  }
}
