package dev.tributary.internal.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A record map behaves as a LinkedHashMap does: field order, replace in place, removal, entries, iterators. */
class RecordMapTest {

  @Test
  void keepsFieldOrderReplacesInPlaceAndRemovesKeepingTheRestInOrder() {
    Map<String, Object> m = Records.newRecord(2);
    m.put("a", 1);
    m.put("b", 2);
    m.put("c", 3);
    m.put("d", 4); // grows past its capacity
    assertEquals(2, m.put("b", 20));
    assertEquals(3, m.remove("c"));
    assertNull(m.remove("absent"));
    assertEquals(List.of("a", "b", "d"), List.copyOf(m.keySet()));
    assertEquals(List.of(1, 20, 4), List.copyOf(m.values()));
    assertEquals(Map.of("a", 1, "b", 20, "d", 4), m);
    assertEquals(new HashMap<>(m).hashCode(), m.hashCode());
  }

  @Test
  void entriesWriteThroughAndIteratorsRemove() {
    Map<String, Object> m = Records.newRecord(4);
    m.put("a", 1);
    m.put("b", 2);
    m.put("c", 3);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      e.setValue(((Integer) e.getValue()) * 10);
    }
    Iterator<Map.Entry<String, Object>> it = m.entrySet().iterator();
    it.next();
    it.next();
    it.remove(); // b
    assertEquals("c", it.next().getKey());
    assertFalse(it.hasNext());
    assertEquals(List.of("a", "c"), List.copyOf(m.keySet()));
    assertEquals(30, m.get("c"));
    it.remove(); // c
    assertThrows(IllegalStateException.class, it::remove);
    assertEquals(Map.of("a", 10), m);
    m.put(null, "null key");
    m.put("n", null);
    assertEquals("null key", m.get(null));
    assertTrue(m.containsKey("n"));
    Iterator<String> keys = m.keySet().iterator();
    keys.next();
    m.put("late", 1);
    assertThrows(ConcurrentModificationException.class, keys::next);
  }

  @Test
  void aRandomSequenceOfChangesEndsAsInALinkedHashMap() {
    SplittableRandom r = new SplittableRandom(7);
    Map<String, Object> mine = Records.newRecord(4);
    Map<String, Object> theirs = new LinkedHashMap<>();
    for (int i = 0; i < 20_000; i++) {
      String k = "k" + r.nextInt(40);
      switch (r.nextInt(3)) {
        case 0 -> assertEquals(theirs.put(k, i), mine.put(k, i));
        case 1 -> assertEquals(theirs.remove(k), mine.remove(k));
        default -> assertEquals(theirs.get(k), mine.get(k));
      }
    }
    assertEquals(List.copyOf(theirs.entrySet()), List.copyOf(mine.entrySet()));
  }

  @Test
  void keysWithTheSameHashAreToldApartAndNullKeysWork() {
    Map<String, Object> m = Records.newRecord(4);
    assertEquals("Aa".hashCode(), "BB".hashCode());
    m.put("Aa", 1);
    m.put("BB", 2);
    m.put(null, 3);
    m.put("AaAa", 4);
    m.put("BBBB", 5); // same hash as AaAa
    assertEquals(1, m.get("Aa"));
    assertEquals(2, m.get("BB"));
    assertEquals(3, m.get(null));
    assertEquals(5, m.get(new String("BBBB")));
    assertEquals(1, m.remove("Aa"));
    assertNull(m.get("Aa"));
    assertEquals(2, m.get("BB"), "the shifted fields keep their hashes");
    assertEquals(5, m.get("BBBB"));
    assertEquals(4, m.get("AaAa"));
    assertTrue(m.containsKey(null));
  }

  @Test
  void copiedWholeAndAppendedWithoutALookupItBehavesAsAMapStill() {
    RecordMap a = new RecordMap(2);
    for (int i = 0; i < 40; i++) {
      a.append("k" + i, i); // grows
    }
    RecordMap b = new RecordMap(2);
    b.put("stale", 1);
    a.copyTo(b);
    assertEquals(a, b);
    assertEquals(40, b.size());
    assertEquals(17, b.get("k17"));
    assertNull(b.get("stale"));
    b.put("k3", "three");
    assertEquals(3, a.get("k3"), "a copy is separate");
    b.setValueAt(0, "zero");
    assertEquals("zero", b.get("k0"));
    assertEquals("k39", b.keyAt(39));
    assertEquals(39, b.valueAt(39));
  }

  @Test
  void afterAResetTheKeysLeftInPlaceAreNeverSeenAndAppendsOfOtherKeysReplaceThem() {
    RecordMap m = new RecordMap(4);
    m.append("a", 1);
    m.append("b", 2);
    m.append("c", 3);
    m.reset();
    assertEquals(0, m.size());
    assertNull(m.get("a"), "a key left in place is past the size");
    assertFalse(m.containsKey("b"));
    assertTrue(m.entrySet().isEmpty());
    m.append("a", 10); // the same key object, found in place
    m.append("x", 20); // another key where "b" was
    m.put("c", 30); // looked up first: not there, so appended where "c" was
    assertEquals(Map.of("a", 10, "x", 20, "c", 30), m);
    assertEquals(List.of("a", "x", "c"), List.copyOf(m.keySet()));
    assertNull(m.get("b"));
    assertEquals(20, m.remove("x"));
    m.reset();
    m.append("Aa", 1); // collides with "BB" by hash
    m.append("BB", 2);
    assertEquals(1, m.get("Aa"));
    assertEquals(2, m.get("BB"));
  }
}
