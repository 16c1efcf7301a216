package dev.tributary.internal.filter;

import dev.tributary.Filter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events for filter tests: a mutable record built from key/value pairs, nested maps and lists copied. */
final class FilterEvents {

  private FilterEvents() {}

  static Filter.Event event(String tag, Object... keyValues) {
    Map<String, Object> r = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      r.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new Filter.Event(tag, 1_700_000_000L, 5, Records.copy(r));
  }

  static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> r = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      r.put((String) keyValues[i], keyValues[i + 1]);
    }
    return r;
  }

  static List<Object> list(Object... values) {
    return List.of(values);
  }
}
