package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TagTableTest {

  private static TagBuffer buffer(String tag) {
    return new TagBuffer(tag, 1024, 0);
  }

  /** Strings of equal hash code: every combination of "Aa" and "BB" (which hash alike) of a length. */
  private static List<String> colliding(int pairs) {
    List<String> out = new ArrayList<>();
    for (int bits = 0; bits < 1 << pairs; bits++) {
      StringBuilder b = new StringBuilder("c.");
      for (int i = 0; i < pairs; i++) {
        b.append((bits >> i & 1) == 0 ? "Aa" : "BB");
      }
      out.add(b.toString());
    }
    return out;
  }

  @Test
  void findsWhatWasAddedByEqualStringsAndKeepsOneBufferPerTag() {
    TagTable table = new TagTable();
    TagBuffer a = table.getOrCreate("app.orders", TagTableTest::buffer);
    assertSame(a, table.get(new String("app.orders")), "an equal string, not the same instance");
    assertSame(a, table.getOrCreate(new String("app.orders"), t -> {
      throw new AssertionError("made twice");
    }));
    assertNull(table.get("app.payments"));
    assertEquals(1, table.size());
  }

  @Test
  void agreesWithAMapThroughRandomAddsAndRemovesOfCollidingAndOrdinaryTags() {
    List<String> names = new ArrayList<>(colliding(5));
    for (int i = 0; i < 300; i++) {
      names.add("app.logger" + i);
    }
    TagTable table = new TagTable();
    Map<String, TagBuffer> model = new HashMap<>();
    SplittableRandom random = new SplittableRandom(42);
    for (int op = 0; op < 20_000; op++) {
      String tag = names.get(random.nextInt(names.size()));
      if (random.nextInt(3) == 0 && model.containsKey(tag)) {
        table.remove(model.remove(tag));
      } else {
        TagBuffer tb = table.getOrCreate(tag, TagTableTest::buffer);
        TagBuffer before = model.putIfAbsent(tag, tb);
        if (before != null) {
          assertSame(before, tb, tag);
        }
      }
      if (op % 97 == 0) {
        for (String n : names) {
          assertSame(model.get(n), table.get(n), "after op " + op + ": " + n);
        }
        assertEquals(model.size(), table.size());
      }
    }
    Set<TagBuffer> walked = new HashSet<>();
    table.forEach(walked::add);
    assertEquals(new HashSet<>(model.values()), walked);
  }

  @Test
  void removingAStaleBufferLeavesItsSuccessor() {
    TagTable table = new TagTable();
    TagBuffer first = table.getOrCreate("a", TagTableTest::buffer);
    table.remove(first);
    TagBuffer second = table.getOrCreate("a", TagTableTest::buffer);
    table.remove(first);
    assertSame(second, table.get("a"));
  }

  @Test
  void aWalkSeesEveryBufferWhileItsActionRemovesOthers() {
    TagTable table = new TagTable();
    List<String> tags = colliding(6);
    for (String t : tags) {
      table.getOrCreate(t, TagTableTest::buffer);
    }
    Set<String> seen = new HashSet<>();
    table.forEach(tb -> {
      seen.add(tb.tag);
      if (seen.size() % 2 == 0) {
        table.remove(tb); // closes a gap: later entries of the run move back
      }
    });
    assertEquals(new HashSet<>(tags), seen);
  }

  @Test
  void lockFreeReadersNeverGetAnotherTagsBufferWhileTheTableChanges() throws Exception {
    List<String> tags = new ArrayList<>(colliding(4));
    for (int i = 0; i < 200; i++) {
      tags.add("t" + i);
    }
    TagTable table = new TagTable();
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> wrong = new AtomicReference<>();
    Thread[] readers = new Thread[2];
    for (int r = 0; r < readers.length; r++) {
      int seed = r;
      readers[r] = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        while (!done.get()) {
          String t = tags.get(random.nextInt(tags.size()));
          TagBuffer tb = table.get(t);
          if (tb != null && !tb.tag.equals(t)) {
            wrong.compareAndSet(null, t + " gave " + tb.tag);
          }
        }
      });
      readers[r].start();
    }
    try {
      SplittableRandom random = new SplittableRandom(7);
      Map<String, TagBuffer> held = new HashMap<>();
      for (int op = 0; op < 200_000; op++) {
        String t = tags.get(random.nextInt(tags.size()));
        TagBuffer tb = held.remove(t);
        if (tb != null) {
          table.remove(tb);
        } else {
          held.put(t, table.getOrCreate(t, TagTableTest::buffer));
        }
      }
      for (Map.Entry<String, TagBuffer> e : held.entrySet()) {
        assertSame(e.getValue(), table.get(e.getKey()), "quiet again: exact");
      }
    } finally {
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    assertNull(wrong.get());
    assertTrue(table.size() > 0);
  }
}
