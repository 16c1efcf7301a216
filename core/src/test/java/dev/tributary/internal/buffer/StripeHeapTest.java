package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StripeHeapTest {

  private static Stripe stripe(long key) {
    Stripe st = new Stripe();
    st.dueKey = key;
    return st;
  }

  @Test
  void pollsOldestFirstAcrossTheWrapOfTheNanosecondClock() {
    SplittableRandom random = new SplittableRandom(11);
    long base = Long.MAX_VALUE - 500_000; // nanoTime values may wrap: keys compare by difference
    StripeHeap heap = new StripeHeap();
    List<Stripe> model = new ArrayList<>();
    Comparator<Stripe> oldestFirst = (a, b) -> Long.signum(a.dueKey - b.dueKey);
    for (int round = 0; round < 50; round++) {
      int adds = 1 + random.nextInt(100);
      for (int i = 0; i < adds; i++) {
        Stripe st = stripe(base + random.nextLong(1_000_000));
        heap.add(st);
        model.add(st);
      }
      model.sort(oldestFirst);
      int polls = random.nextInt(model.size() + 1);
      for (int i = 0; i < polls; i++) {
        Stripe expected = model.remove(0);
        assertEquals(expected.dueKey, heap.peekKey());
        Stripe got = heap.poll();
        assertEquals(expected.dueKey, got.dueKey, "round " + round);
      }
      assertEquals(model.size(), heap.size());
    }
    while (!model.isEmpty()) {
      assertEquals(model.remove(0).dueKey, heap.poll().dueKey);
    }
    assertNull(heap.poll());
    assertNull(heap.peek());
  }

  @Test
  void equalKeysAllComeOut() {
    StripeHeap heap = new StripeHeap();
    Stripe a = stripe(5);
    Stripe b = stripe(5);
    heap.add(a);
    heap.add(b);
    Stripe first = heap.poll();
    Stripe second = heap.poll();
    assertSame(first == a ? b : a, second);
  }
}
