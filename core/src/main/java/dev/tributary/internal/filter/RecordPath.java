package dev.tributary.internal.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A field of a record, possibly nested, named as Fluentd's record accessor names it: {@code
 * message} (a top-level key, taken literally), {@code $.user.id}, {@code $['user']['id']}, {@code
 * $["user"]["id"]}, {@code $.items[0].sku} (an index into a list, negative from the end). Immutable,
 * thread safe.
 *
 * <pre>{@code
 * RecordPath.parse("$.user.id").get(record);
 * }</pre>
 */
public final class RecordPath {

  /** Each step: a String key, or an Integer list index. */
  private final Object[] steps;
  private final String text;

  private RecordPath(Object[] steps, String text) {
    this.steps = steps;
    this.text = text;
  }

  /**
   * Parses a field name.
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static RecordPath parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a field name must not be empty");
    }
    if (!text.startsWith("$")) {
      return new RecordPath(new Object[] {text}, text);
    }
    List<Object> steps = new ArrayList<>();
    int i = 1;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '.') {
        int j = i + 1;
        while (j < n && text.charAt(j) != '.' && text.charAt(j) != '[') {
          j++;
        }
        if (j == i + 1) {
          throw bad(text, "an empty key after '.' at " + i);
        }
        steps.add(text.substring(i + 1, j));
        i = j;
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw bad(text, "'[' at " + i + " is not closed");
        }
        String inner = text.substring(i + 1, close).trim();
        if (inner.length() >= 2 && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
            && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
          String key = inner.substring(1, inner.length() - 1);
          // a quoted key may hold ']' itself: look for the closing quote and bracket together
          int q = text.indexOf(inner.charAt(0) + "]", i + 2);
          if (q > 0 && q + 1 != close) {
            key = text.substring(text.indexOf(inner.charAt(0), i) + 1, q);
            close = q + 1;
          }
          steps.add(key);
        } else {
          try {
            steps.add(Integer.parseInt(inner));
          } catch (NumberFormatException e) {
            throw bad(text, "[" + inner + "] is neither a quoted key nor a list index");
          }
        }
        i = close + 1;
      } else {
        throw bad(text, "'" + c + "' at " + i + " where '.' or '[' was expected");
      }
    }
    if (steps.isEmpty()) {
      throw bad(text, "no key after '$'");
    }
    return new RecordPath(steps.toArray(), text);
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("field \"" + text + "\": " + why
        + " (write a nested key as $.user.id or $['user']['id'])");
  }

  /** Whether this is a top-level key. */
  public boolean topLevel() {
    return steps.length == 1 && steps[0] instanceof String;
  }

  /** The top-level key this path starts at. */
  public Object first() {
    return steps[0];
  }

  /** The value at this path, or null when any step is missing or of the wrong kind. */
  public Object get(Map<String, Object> record) {
    Object v = record;
    for (Object step : steps) {
      v = step(v, step);
      if (v == null) {
        return null;
      }
    }
    return v;
  }

  private static Object step(Object container, Object step) {
    if (step instanceof String) {
      return container instanceof Map ? ((Map<?, ?>) container).get(step) : null;
    }
    if (container instanceof List) {
      List<?> l = (List<?>) container;
      int at = (Integer) step;
      if (at < 0) {
        at += l.size();
      }
      return at >= 0 && at < l.size() ? l.get(at) : null;
    }
    return null;
  }

  /**
   * Sets the value at this path, making the maps on the way that are missing (a step through a
   * value that is not a map replaces it with a map, as Fluentd's accessor does). A list index
   * past the end is not set.
   */
  @SuppressWarnings("unchecked")
  public void set(Map<String, Object> record, Object value) {
    Object c = record;
    for (int i = 0; i < steps.length - 1; i++) {
      Object step = steps[i];
      Object next = step(c, step);
      if (!(next instanceof Map) && !(next instanceof List)) {
        if (!(step instanceof String) || !(c instanceof Map)) {
          return;
        }
        next = new LinkedHashMap<String, Object>();
        ((Map<Object, Object>) c).put(step, next);
      }
      c = next;
    }
    Object last = steps[steps.length - 1];
    if (last instanceof String && c instanceof Map) {
      ((Map<Object, Object>) c).put(last, value);
    } else if (last instanceof Integer && c instanceof List) {
      List<Object> l = (List<Object>) c;
      int at = (Integer) last < 0 ? (Integer) last + l.size() : (Integer) last;
      if (at >= 0 && at < l.size()) {
        l.set(at, value);
      }
    }
  }

  /** Removes the value at this path; returns it, or null when there was none. */
  public Object remove(Map<String, Object> record) {
    Object c = record;
    for (int i = 0; i < steps.length - 1; i++) {
      c = step(c, steps[i]);
      if (c == null) {
        return null;
      }
    }
    Object last = steps[steps.length - 1];
    if (last instanceof String && c instanceof Map) {
      return ((Map<?, ?>) c).remove(last);
    }
    if (last instanceof Integer && c instanceof List) {
      List<?> l = (List<?>) c;
      int at = (Integer) last < 0 ? (Integer) last + l.size() : (Integer) last;
      return at >= 0 && at < l.size() ? l.remove(at) : null;
    }
    return null;
  }

  @Override
  public String toString() {
    return text;
  }
}
