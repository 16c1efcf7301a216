package dev.tributary.internal.filter;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The map a filter sees a record as: fields in the order they were put, kept in two arrays and found
 * by a linear scan. A record has a handful to a few dozen fields, for which this is cheaper than a
 * {@code LinkedHashMap} to build (two arrays, not a table and a node per field) and to read (a key's
 * cached hash and {@code equals} over a few entries); past about a hundred fields lookups grow
 * linearly. A full {@link Map}: null keys and values allowed, entries writable, iterators remove.
 *
 * <p>Not thread safe: an event's record belongs to the thread that emits it.
 */
final class RecordMap extends AbstractMap<Object, Object> {

  private Object[] keys;
  private Object[] values;
  private int size;
  private int modCount;

  RecordMap(int capacity) {
    int c = Math.max(4, capacity);
    keys = new Object[c];
    values = new Object[c];
  }

  private int indexOf(Object key) {
    Object[] k = keys;
    if (key == null) {
      for (int i = 0; i < size; i++) {
        if (k[i] == null) {
          return i;
        }
      }
      return -1;
    }
    for (int i = 0; i < size; i++) {
      Object x = k[i];
      if (x == key || key.equals(x)) {
        return i;
      }
    }
    return -1;
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
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size] = value;
    size++;
    modCount++;
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
