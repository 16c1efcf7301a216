package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Where the pooled encoders sit in their array: every slot 16 references (a cache line at least)
 * from every other, from the array's length and from its end, so that threads emitting at once
 * never write a line that another reads or writes on every call.
 */
class EncoderSlotsTest {

  @Test
  void everySlotIsALineFromTheOthersAndFromBothEndsOfTheArray() {
    TreeSet<Integer> indexes = new TreeSet<>();
    for (int slot = 0; slot < 64; slot++) {
      indexes.add(Tributary.slotIndex(slot));
    }
    assertEquals(64, indexes.size(), "two slots share an index");
    assertTrue(indexes.first() >= 16, "a slot at " + indexes.first() + " shares a line with the array's length");
    assertTrue(indexes.last() + 16 <= Tributary.ENCODER_ARRAY_LENGTH, "a slot at " + indexes.last()
        + " shares a line with the object after an array of " + Tributary.ENCODER_ARRAY_LENGTH);
    Integer previous = null;
    for (int i : indexes) {
      assertTrue(previous == null || i - previous >= 16, "slots at " + previous + " and " + i + " share a line");
      previous = i;
    }
  }

  @Test
  void anyIntIsASlot() {
    // thread ids and slot + probe sums are taken modulo the slots, negative ones too
    for (int slot : new int[] {-1, 64, 65, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      int at = Tributary.slotIndex(slot);
      assertTrue(at >= 16 && at + 16 <= Tributary.ENCODER_ARRAY_LENGTH, slot + " gave index " + at);
    }
  }
}
