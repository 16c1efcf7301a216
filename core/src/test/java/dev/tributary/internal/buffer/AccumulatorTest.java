package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class AccumulatorTest {

  private static final long IDLE = 400;
  private final BufferPool pool = new BufferPool(64 * 1024, 1024);
  private final ChunkQueue queue = new ChunkQueue();
  private long now = 1000;

  private Accumulator accumulator(int maxBytes, int maxRecords) {
    return new Accumulator(pool, queue, t -> maxBytes, maxRecords, () -> now, t -> true, 1, IDLE);
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
    Accumulator acc = new Accumulator(small, queue, t -> 100_000, 0, () -> now, t -> true, 1, IDLE);
    assertEquals(Accumulator.Result.APPENDED, acc.append("a", bytes(2000, 1), 2000));
    assertEquals(Accumulator.Result.NO_MEMORY, acc.append("a", bytes(100, 1), 100));
    Chunk sealed = queue.poll();
    assertEquals(1, sealed.records());
    sealed.free();
    assertEquals(0, small.usedBytes());
  }

  @Test
  void anyStripeNumberIsAccepted() {
    Accumulator acc = new Accumulator(pool, queue, t -> 10_000, 0, () -> now, t -> true, 4, IDLE);
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

  /** The default budget and page size of a Tributary instance. */
  private static BufferPool defaultPool() {
    return new BufferPool(64L * 1024 * 1024, 32 * 1024);
  }

  @Test
  void anOpenChunkOfOneSmallEventHoldsNoMoreThanTwoKib() {
    BufferPool big = defaultPool();
    Accumulator acc = new Accumulator(big, queue, t -> 1024 * 1024, 0, () -> now, t -> true, 8, IDLE);
    assertEquals(Accumulator.Result.APPENDED, acc.append("app.orders", bytes(250, 1), 250));
    assertTrue(big.usedBytes() <= 2048, "held " + big.usedBytes());
  }

  @Test
  void tenThousandTagsWithAnOpenChunkEachFitTheDefaultBudget() {
    BufferPool big = defaultPool();
    Accumulator acc = new Accumulator(big, queue, t -> 1024 * 1024, 0, () -> now, t -> true, 8, IDLE);
    for (int i = 0; i < 10_000; i++) {
      assertEquals(Accumulator.Result.APPENDED, acc.append("app.logger" + i, i, bytes(250, 1), 250), "tag " + i);
    }
    assertEquals(10_000, acc.openTags());
    assertNull(queue.peek(), "nothing sealed for want of memory");
    assertEquals(10_000L * BufferPool.MIN_PAGE_SIZE, big.usedBytes());
    assertEquals(big.usedBytes(), acc.openBytes());
  }

  @Test
  void noMemorySealsEveryOpenChunkSoAllCanBeSent() {
    BufferPool small = new BufferPool(4096, 1024, 1024);
    Accumulator acc = new Accumulator(small, queue, t -> 100_000, 0, () -> now, t -> true, 1, IDLE);
    for (String tag : new String[] {"a", "b", "c"}) {
      assertEquals(Accumulator.Result.APPENDED, acc.append(tag, bytes(100, 1), 100));
    }
    assertEquals(Accumulator.Result.NO_MEMORY, acc.append("d", bytes(2000, 1), 2000));
    Set<String> sealed = new HashSet<>();
    for (Chunk c; (c = queue.poll()) != null; ) {
      sealed.add(c.tag());
      c.free();
    }
    assertEquals(Set.of("a", "b", "c"), sealed);
    assertEquals(0, small.usedBytes());
    assertEquals(Accumulator.Result.APPENDED, acc.append("d", bytes(2000, 1), 2000));
  }

  @Test
  void aShortageWhileSealedChunksHoldMostMemoryLeavesTheOpenChunksOpen() {
    BufferPool small = new BufferPool(4096, 1024, 1024);
    Accumulator acc = new Accumulator(small, queue, t -> 100_000, 0, () -> now, t -> true, 1, IDLE);
    for (int i = 0; i < 3; i++) {
      acc.append("a", bytes(1000, 1), 1000);
    }
    acc.sealAll();
    Chunk sent = queue.poll();
    acc.append("b", bytes(100, 1), 100);
    assertEquals(1024, acc.openBytes());
    assertEquals(Accumulator.Result.NO_MEMORY, acc.append("c", bytes(100, 1), 100));
    assertNull(queue.peek(), "b's chunk is not cut short: the memory comes back from a's");
    sent.free();
    assertEquals(Accumulator.Result.APPENDED, acc.append("c", bytes(100, 1), 100));
    acc.sealAll();
    assertEquals(0, acc.openBytes());
  }

  @Test
  void aTagWithoutAnOpenChunkIsForgottenAfterTheIdleTime() {
    Accumulator acc = accumulator(100_000, 0);
    now = 1000;
    acc.append("a", bytes(10, 1), 10);
    now = 1200;
    acc.sealOlderThan(1000);
    assertEquals(1, queue.poll().records());
    now = 1200 + IDLE - 1;
    acc.sealOlderThan(now);
    assertEquals(1, acc.openTags(), "idle for less than the idle time");
    now = 1200 + IDLE + IDLE / 2;
    acc.sealOlderThan(now);
    assertEquals(0, acc.openTags(), "gone within half an idle time more");
  }

  @Test
  void everyChunkOfATagSealsAtItsOwnDeadline() {
    Accumulator acc = accumulator(100_000, 0);
    for (int i = 0; i < 3; i++) {
      now = 1000 + i * 1000;
      acc.append("a", bytes(10, i), 10);
      assertEquals(now, acc.sealOlderThan(now - 1), "open, due at its own time");
      assertNull(queue.peek());
      now += 200;
      assertEquals(Long.MAX_VALUE, acc.sealOlderThan(now - 200));
      assertArrayEquals(bytes(10, i), queue.poll().toByteArray(), "chunk " + i);
    }
  }

  @Test
  void aChunkOpenedAfterItsStripeSealedEarlyIsSealedAtItsOwnDeadline() {
    Accumulator acc = accumulator(1000, 0);
    now = 1000;
    acc.append("a", bytes(600, 1), 600);
    now = 1100;
    acc.append("a", bytes(600, 2), 600);
    assertArrayEquals(bytes(600, 1), queue.poll().toByteArray(), "sealed by size");
    now = 1150;
    assertEquals(1100, acc.sealOlderThan(1050), "the oldest chunk left open");
    assertNull(queue.peek());
    assertEquals(Long.MAX_VALUE, acc.sealOlderThan(1100));
    assertArrayEquals(bytes(600, 2), queue.poll().toByteArray());
  }

  @Test
  void aTagWithAnOpenChunkIsNeverForgotten() {
    Accumulator acc = accumulator(100_000, 0);
    now = 1000;
    acc.append("a", bytes(10, 1), 10);
    for (now = 1100; now < 1000 + 10 * IDLE; now += 100) {
      acc.sealOlderThan(0);
    }
    assertEquals(1, acc.openTags());
    acc.sealAll();
    assertEquals(1, queue.poll().records());
  }

  @Test
  void aChunkOpenedAndSealedBetweenTwoPassesKeepsItsTag() {
    Accumulator acc = accumulator(100_000, 1);
    now = 1000;
    acc.sealOlderThan(now);
    acc.append("a", bytes(10, 1), 10);
    now = 1000 + IDLE;
    acc.sealOlderThan(now);
    assertEquals(1, queue.poll().records(), "sealed at its record limit");
    assertEquals(1, acc.openTags(), "used since the last pass");
  }

  @Test
  void aForgottenTagComesBackWithItsNextEvent() {
    Accumulator acc = accumulator(100_000, 0);
    acc.append("a", bytes(10, 1), 10);
    acc.sealAll();
    now += IDLE / 2;
    acc.sealOlderThan(now);
    now += IDLE;
    acc.sealOlderThan(now);
    assertEquals(0, acc.openTags());
    assertEquals(Accumulator.Result.APPENDED, acc.append("a", bytes(10, 2), 10));
    assertEquals(1, acc.openTags());
    acc.sealAll();
    assertArrayEquals(bytes(10, 1), queue.poll().toByteArray());
    assertArrayEquals(bytes(10, 2), queue.poll().toByteArray());
  }

  @Test
  void oneThreadKeepsOneStripe() {
    Accumulator acc = new Accumulator(pool, queue, t -> 1000, 0, () -> now, t -> true, 8, IDLE);
    for (int i = 0; i < 10_000; i++) {
      acc.append("a", 12345, bytes(10, 1), 10);
      Chunk c = queue.poll();
      if (c != null) {
        c.free();
      }
    }
    assertNull(acc.tagBuffer("a").stripes, "the tag buffer is its only stripe");
  }

  @Test
  void contendedTagGetsMoreStripesAndSealsWhatWasOpenFirst() throws Exception {
    Accumulator acc = new Accumulator(pool, queue, t -> 100_000, 0, () -> now, t -> true, 4, IDLE);
    acc.append("a", 0, bytes(10, 1), 10);
    TagBuffer tb = acc.tagBuffer("a");
    for (int i = 0; i < Accumulator.WIDEN_AFTER_CONTENDED; i++) {
      assertNull(tb.stripes);
      Stripe st = tb;
      st.lock();
      Thread appender = new Thread(() -> acc.append("a", 1, bytes(10, 2), 10));
      try {
        appender.start();
        awaitTrue("the appender to wait for the lock", st::hasQueuedThreads);
      } finally {
        st.unlock();
      }
      appender.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(appender.isAlive());
    }
    assertEquals(2, tb.stripes.length);
    Chunk sealed = queue.poll();
    assertNotNull(sealed, "the chunk open before widening is sealed");
    assertEquals(1 + Accumulator.WIDEN_AFTER_CONTENDED, sealed.records());
    acc.append("a", 0, bytes(10, 3), 10);
    acc.append("a", 1, bytes(10, 4), 10);
    assertNotSame(tb.stripes[0].open, tb.stripes[1].open);
    assertNotNull(tb.stripes[0].open);
    assertNotNull(tb.stripes[1].open);
  }

  /**
   * Two threads append while another forgets idle tags as fast as it can: every event is sealed
   * exactly once, and each thread's events of a tag come out in order. Chunks are sealed only
   * through the map ({@link Accumulator#sealAll}, as flush and close do), never by age, so an event
   * appended to a tag buffer after it was forgotten would be lost.
   */
  @Test
  void appendsRacingTheForgettingOfIdleTagsAreSealedExactlyOnceAndInOrder() throws Exception {
    long longAgo = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    assertAppendsRaceExactlyOnceInOrder(acc -> {
      acc.sealAll();
      acc.sealOlderThan(longAgo);
    });
  }

  /** The same, with the chunks sealed at their deadlines, all due at once, while size limits seal others. */
  @Test
  void appendsRacingDeadlineSealsAreSealedExactlyOnceAndInOrder() throws Exception {
    assertAppendsRaceExactlyOnceInOrder(acc -> acc.sealOlderThan(System.nanoTime()));
  }

  /**
   * Two threads append to one half of the tags and then the other, in waves the passing thread
   * starts every few passes, so that tags go idle and are forgotten while an appender may still be
   * on its way to them; they go on until the pass has forgotten tags a good number of times.
   */
  private void assertAppendsRaceExactlyOnceInOrder(java.util.function.Consumer<Accumulator> pass)
      throws Exception {
    BufferPool big = defaultPool();
    // idle time 0: a tag with no chunk opened since the last pass is forgotten at the next
    Accumulator acc = new Accumulator(big, queue, t -> 2048, 0, System::nanoTime, t -> true, 4, 0);
    int threads = 2;
    int atLeast = 100_000;
    int tags = 40;
    List<List<List<Integer>>> seen = new ArrayList<>();
    for (int th = 0; th < threads; th++) {
      List<List<Integer>> perTag = new ArrayList<>();
      for (int t = 0; t < tags; t++) {
        perTag.add(new ArrayList<>());
      }
      seen.add(perTag);
    }
    AtomicBoolean appending = new AtomicBoolean(true);
    AtomicLong forgotten = new AtomicLong();
    AtomicInteger wave = new AtomicInteger();
    AtomicReference<Throwable> sealerFailure = new AtomicReference<>();
    Thread sealer = new Thread(() -> {
      try {
        for (int passes = 1; appending.get(); passes++) {
          pass.accept(acc);
          forgotten.set(acc.forgottenTags());
          collect(seen);
          if (passes % 4 == 0) {
            wave.incrementAndGet();
          }
        }
      } catch (Throwable e) {
        sealerFailure.set(e);
      }
    });
    int[] appended = new int[threads];
    Thread[] appenders = new Thread[threads];
    for (int th = 0; th < threads; th++) {
      int thread = th;
      appenders[th] = new Thread(() -> {
        ByteBuffer rec = ByteBuffer.allocate(8);
        int seq = 0;
        for (; seq < atLeast || forgotten.get() < 200; seq++) {
          rec.putInt(0, thread).putInt(4, seq);
          String tag = "t" + ((wave.get() & 1) * tags / 2 + seq % (tags / 2));
          while (acc.append(tag, thread, rec.array(), 8) != Accumulator.Result.APPENDED) {
            Thread.onSpinWait();
          }
        }
        appended[thread] = seq;
      });
    }
    // the count of appended events, read all along: it moves out of each forgotten tag, and must
    // never be seen twice or not at all while it does
    AtomicReference<String> countFailure = new AtomicReference<>();
    Thread counter = new Thread(() -> {
      long last = 0;
      while (appending.get()) {
        long n = acc.appended();
        if (n < last) {
          countFailure.compareAndSet(null, "appended went from " + last + " down to " + n);
        }
        last = n;
      }
    });
    sealer.start();
    counter.start();
    for (Thread t : appenders) {
      t.start();
    }
    for (Thread t : appenders) {
      t.join(TimeUnit.SECONDS.toMillis(60));
      assertFalse(t.isAlive());
    }
    appending.set(false);
    sealer.join(TimeUnit.SECONDS.toMillis(60));
    assertFalse(sealer.isAlive());
    assertNull(sealerFailure.get());
    counter.join(TimeUnit.SECONDS.toMillis(60));
    assertFalse(counter.isAlive());
    assertNull(countFailure.get());
    assertEquals((long) appended[0] + appended[1], acc.appended(), "every append counted once");
    acc.close();
    collect(seen);

    for (int th = 0; th < threads; th++) {
      boolean[] arrived = new boolean[appended[th]];
      for (int t = 0; t < tags; t++) {
        int last = -1;
        for (int seq : seen.get(th).get(t)) {
          assertTrue(seq > last, "thread " + th + ", tag t" + t + ": event " + seq + " after " + last);
          assertFalse(arrived[seq], "thread " + th + ": event " + seq + " twice");
          arrived[seq] = true;
          last = seq;
        }
      }
      for (int seq = 0; seq < arrived.length; seq++) {
        assertTrue(arrived[seq], "thread " + th + ": event " + seq + " lost");
      }
    }
    assertEquals(0, big.usedBytes());
    assertEquals(0, acc.openBytes());
  }

  /** Takes the sealed chunks off the queue, records their events by thread and tag, frees them. */
  private void collect(List<List<List<Integer>>> seen) {
    for (Chunk c; (c = queue.poll()) != null; ) {
      int tag = Integer.parseInt(c.tag().substring(1));
      ByteBuffer b = ByteBuffer.wrap(c.toByteArray());
      assertEquals(c.records() * 8, b.remaining());
      while (b.hasRemaining()) {
        int thread = b.getInt();
        seen.get(thread).get(tag).add(b.getInt());
      }
      c.free();
    }
  }

  private static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000L);
    }
  }
}
