package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AccumulatorTest {

  private final BufferPool pool = new BufferPool(64 * 1024, 1024);
  private final ChunkQueue queue = new ChunkQueue();
  private long now = 1000;

  private Accumulator accumulator(int maxBytes, int maxRecords) {
    return new Accumulator(pool, queue, t -> maxBytes, maxRecords, () -> now, t -> true, 1);
  }

  private static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  @Test
  void chunkSealsBeforePassingItsByteLimitAndKeepsBytesAcrossPages() {
    Accumulator acc = accumulator(3000, 0);
    assertEquals(Accumulator.Result.APPENDED, acc.append("a", bytes(1500, 1), 1500));
    assertEquals(Accumulator.Result.APPENDED, acc.append("a", bytes(1400, 2), 1400));
    assertNull(queue.peek(), "2900 bytes still fit");
    assertEquals(Accumulator.Result.APPENDED, acc.append("a", bytes(200, 3), 200));
    Chunk sealed = queue.poll();
    assertEquals(2, sealed.records());
    assertEquals(2900, sealed.size());
    byte[] expected = new byte[2900];
    java.util.Arrays.fill(expected, 0, 1500, (byte) 1);
    java.util.Arrays.fill(expected, 1500, 2900, (byte) 2);
    assertArrayEquals(expected, sealed.toByteArray());
  }

  @Test
  void recordLimitSealsAtTheCount() {
    Accumulator acc = accumulator(100_000, 2);
    acc.append("a", bytes(10, 1), 10);
    assertNull(queue.peek());
    acc.append("a", bytes(10, 1), 10);
    assertEquals(2, queue.poll().records());
  }

  @Test
  void tooLargeEventIsRefused() {
    Accumulator acc = accumulator(1000, 0);
    assertEquals(Accumulator.Result.TOO_LARGE, acc.append("a", bytes(1001, 1), 1001));
  }

  @Test
  void lingeringChunksSealByAge() {
    Accumulator acc = accumulator(100_000, 0);
    acc.append("old", bytes(10, 1), 10);
    now = 2000;
    acc.append("new", bytes(10, 1), 10);
    acc.sealOlderThan(1500);
    assertEquals("old", queue.poll().tag());
    assertNull(queue.poll());
  }

  @Test
  void closedAccumulatorRefusesAndSealsWhatItHeld() {
    Accumulator acc = accumulator(100_000, 0);
    acc.append("a", bytes(10, 1), 10);
    acc.close();
    assertEquals(1, queue.poll().records());
    assertEquals(Accumulator.Result.CLOSED, acc.append("a", bytes(10, 1), 10));
  }

  @Test
  void noMemorySealsTheTagsChunkSoItCanBeSent() {
    BufferPool small = new BufferPool(2048, 1024);
    Accumulator acc = new Accumulator(small, queue, t -> 100_000, 0, () -> now, t -> true, 1);
    assertEquals(Accumulator.Result.APPENDED, acc.append("a", bytes(2000, 1), 2000));
    assertEquals(Accumulator.Result.NO_MEMORY, acc.append("a", bytes(100, 1), 100));
    Chunk sealed = queue.poll();
    assertEquals(1, sealed.records());
    sealed.free();
    assertEquals(0, small.usedBytes());
  }

  @Test
  void anyStripeNumberIsAccepted() {
    Accumulator acc = new Accumulator(pool, queue, t -> 10_000, 0, () -> now, t -> true, 4);
    for (int stripe : new int[] {Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE}) {
      assertEquals(Accumulator.Result.APPENDED, acc.append("a", stripe, bytes(10, 1), 10));
    }
    acc.sealAll();
    int records = 0;
    for (Chunk c; (c = queue.poll()) != null; ) {
      records += c.records();
    }
    assertEquals(5, records);
  }
}
