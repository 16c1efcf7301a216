package dev.tributary.internal.buffer;

import java.util.Arrays;

/**
 * The flusher's stripes ordered by {@link Stripe#dueKey}, oldest first: a binary heap whose keys
 * sit in an array of their own, so that with thousands of tags ordering them compares longs in
 * one array instead of reading each stripe (a cache miss apiece). A stripe's key is copied in when
 * it is added; change it only while the stripe is out of the heap. Not thread safe: the flusher's
 * alone.
 */
final class StripeHeap {
  private long[] keys = new long[64];
  private Stripe[] stripes = new Stripe[64];
  private int size;

  void add(Stripe st) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      stripes = Arrays.copyOf(stripes, size * 2);
    }
    long key = st.dueKey;
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (keys[parent] - key <= 0) {
        break;
      }
      keys[i] = keys[parent];
      stripes[i] = stripes[parent];
      i = parent;
    }
    keys[i] = key;
    stripes[i] = st;
  }

  /** The oldest stripe, or null. */
  Stripe peek() {
    return size == 0 ? null : stripes[0];
  }

  /** The oldest stripe's key; only when not empty. */
  long peekKey() {
    return keys[0];
  }

  /** Removes and returns the oldest stripe, or null. */
  Stripe poll() {
    if (size == 0) {
      return null;
    }
    Stripe top = stripes[0];
    int n = --size;
    long key = keys[n];
    Stripe last = stripes[n];
    stripes[n] = null;
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && keys[child + 1] - keys[child] < 0) {
        child++;
      }
      if (key - keys[child] <= 0) {
        break;
      }
      keys[i] = keys[child];
      stripes[i] = stripes[child];
      i = child;
    }
    if (n > 0) {
      keys[i] = key;
      stripes[i] = last;
    }
    return top;
  }

  int size() {
    return size;
  }
}
