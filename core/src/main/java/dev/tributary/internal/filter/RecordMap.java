package dev.tributary.internal.filter;

import dev.tributary.internal.codec.Fields;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The map a filter sees a record as: fields in the order they were put, kept in arrays and found by
 * a linear scan over the keys' hashes. A record has a handful to a few dozen fields, for which this
 * is cheaper than a {@code LinkedHashMap} to build (arrays, not a table and a node per field) and to
 * read (an {@code int} compared per field, {@code equals} only where the hash is the same); past
 * about a hundred fields lookups grow linearly. A full {@link Map}: null keys and values allowed,
 * entries writable, iterators remove. The pipeline reuses one per emitting thread ({@link #clear}
 * keeps the arrays) and reads and writes it by position ({@link Fields}).
 *
 * <p>Not thread safe: an event's record belongs to the thread that emits it.
 */
final class RecordMap extends AbstractMap<Object, Object> implements Fields {

  private Object[] keys;
  private Object[] values;
  private int[] hashes;
  private int size;
  private int modCount;

  RecordMap(int capacity) {
    int c = Math.max(4, capacity);
    keys = new Object[c];
    values = new Object[c];
    hashes = new int[c];
  }

  private static int hash(Object key) {
    return key == null ? 0 : key.hashCode();
  }

  private int indexOf(Object key) {
    Object[] k = keys;
    int[] h = hashes;
    int n = size;
    if (key == null) {
      for (int i = 0; i < n; i++) {
        if (k[i] == null) {
          return i;
        }
      }
      return -1;
    }
    int kh = key.hashCode();
    for (int i = 0; i < n; i++) {
      if (h[i] == kh) {
        Object x = k[i];
        if (x == key || key.equals(x)) {
          return i;
        }
      }
    }
    return -1;
  }

  @Override
  public Object keyAt(int i) {
    return keys[i];
  }

  @Override
  public Object valueAt(int i) {
    return values[i];
  }

  /** Replaces the value at {@code i} (below {@link #size()}). */
  void setValueAt(int i, Object value) {
    values[i] = value;
  }

  /**
   * Adds a field without looking for its key first: for copying a map whose keys are known to be
   * distinct already.
   */
  void append(Object key, Object value) {
    if (size == keys.length) {
      grow();
    }
    if (keys[size] != key) { // after reset() the last event's key is usually there already
      keys[size] = key;
      hashes[size] = hash(key);
    }
    values[size] = value;
    size++;
    modCount++;
  }

  /**
   * Empties the map for the next record but keeps the keys where they are (values are cleared):
   * the next record usually has the same field names, the same objects, in the same order, and
   * {@link #append} then finds each in place. Keys past {@link #size()} are never read.
   */
  void reset() {
    Arrays.fill(values, 0, size, null);
    size = 0;
    modCount++;
  }

  private void grow() {
    int c = keys.length * 2;
    keys = Arrays.copyOf(keys, c);
    values = Arrays.copyOf(values, c);
    hashes = Arrays.copyOf(hashes, c);
  }

  /** Makes {@code into} hold this map's fields (the same key and value objects), in order. */
  void copyTo(RecordMap into) {
    into.reset();
    while (into.keys.length < size) {
      into.grow();
    }
    System.arraycopy(keys, 0, into.keys, 0, size);
    System.arraycopy(values, 0, into.values, 0, size);
    System.arraycopy(hashes, 0, into.hashes, 0, size);
    into.size = size;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public Object put(Object key, Object value) {
    int i = indexOf(key);
    if (i >= 0) {
      Object old = values[i];
      values[i] = value;
      return old;
    }
    append(key, value);
    return null;
  }

  @Override
  public Object remove(Object key) {
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    Object old = values[i];
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    int tail = size - i - 1;
    if (tail > 0) {
      System.arraycopy(keys, i + 1, keys, i, tail);
      System.arraycopy(values, i + 1, values, i, tail);
      System.arraycopy(hashes, i + 1, hashes, i, tail);
    }
    size--;
    keys[size] = null;
    values[size] = null;
    modCount++;
  }

  @Override
  public void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
    modCount++;
  }

  @Override
  public Set<Map.Entry<Object, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<Object, Object>> iterator() {
        return new Iterator<>() {
          private int next;
          private int last = -1;
          private int expected = modCount;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Map.Entry<Object, Object> next() {
            if (expected != modCount) {
              throw new ConcurrentModificationException();
            }
            if (next >= size) {
              throw new NoSuchElementException();
            }
            last = next++;
            return new Field(last);
          }

          @Override
          public void remove() {
            if (last < 0) {
              throw new IllegalStateException();
            }
            if (expected != modCount) {
              throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = modCount;
          }
        };
      }

      @Override
      public int size() {
        return size;
      }

      @Override
      public void clear() {
        RecordMap.this.clear();
      }
    };
  }

  /** One field, read and written through to the arrays at its position. */
  private final class Field implements Map.Entry<Object, Object> {
    private final int at;
    private final Object key;

    Field(int at) {
      this.at = at;
      this.key = keys[at];
    }

    @Override
    public Object getKey() {
      return key;
    }

    @Override
    public Object getValue() {
      return at < size && keys[at] == key ? values[at] : get(key);
    }

    @Override
    public Object setValue(Object value) {
      int i = at < size && keys[at] == key ? at : indexOf(key);
      if (i < 0) {
        throw new IllegalStateException("the field " + key + " was removed");
      }
      Object old = values[i];
      values[i] = value;
      return old;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Map.Entry)) {
        return false;
      }
      Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
      return java.util.Objects.equals(key, e.getKey()) && java.util.Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hashCode(key) ^ java.util.Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return key + "=" + getValue();
    }
  }
}
