package dev.tributary.logging;

import java.util.Arrays;

/**
 * The keys written so far in one record, so an event's own keys never duplicate one another
 * (msgpack maps must not repeat a key). Open addressing over a reused array: adding allocates
 * nothing once the table has its size. Not thread safe: one per logging thread.
 */
final class KeySet {

  private static final int INITIAL = 32;
  private static final int KEEP = 1024;
  private String[] table = new String[INITIAL];
  private int size;

  /** Adds {@code key}; false if it is already present. */
  boolean add(String key) {
    if ((size + 1) * 2 > table.length) {
      grow();
    }
    String[] t = table;
    int mask = t.length - 1;
    int i = mix(key.hashCode()) & mask;
    while (true) {
      String s = t[i];
      if (s == null) {
        t[i] = key;
        size++;
        return true;
      }
      if (s == key || s.equals(key)) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  void clear() {
    if (size == 0) {
      return;
    }
    if (table.length > KEEP) {
      table = new String[INITIAL];
    } else {
      Arrays.fill(table, null);
    }
    size = 0;
  }

  private void grow() {
    String[] old = table;
    table = new String[old.length * 2];
    size = 0;
    for (String s : old) {
      if (s != null) {
        add(s);
      }
    }
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }
}
