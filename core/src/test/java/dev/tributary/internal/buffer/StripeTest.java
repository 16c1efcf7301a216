package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The stripe's lock: mutual exclusion, and a thread that waits always gets the lock in the end; and
 * the stripe's layout: the fields its appenders write padded away from everything else.
 */
class StripeTest {

  private static final long JOIN_MILLIS = 30_000;

  /** Guarded by the stripe's lock; plain on purpose, so a broken lock loses increments. */
  private long count;

  @Test
  void threadsMoreThanCoresNeverHoldTheLockTogether() throws Exception {
    Stripe st = new Stripe();
    int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    int perThread = 100_000;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perThread; i++) {
            st.lock();
            try {
              // read, yield now and then (a holder taken off its core), write: a second holder
              // in between would lose this increment
              long c = count;
              if ((i & 1023) == 0) {
                Thread.yield();
              }
              count = c + 1;
            } finally {
              st.unlock();
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "stripe-test-" + t);
      th.start();
      all.add(th);
    }
    start.countDown();
    for (Thread th : all) {
      th.join(JOIN_MILLIS);
      assertFalse(th.isAlive(), th.getName() + " still waits for the lock");
    }
    assertEquals(null, failure.get());
    assertEquals((long) threads * perThread, count);
  }

  @Test
  void aParkedThreadTakesTheLockWhenItIsReleased() throws Exception {
    Stripe st = new Stripe();
    st.lock();
    Thread waiter = startWaiter(st);
    awaitParked(st, waiter);
    st.unlock();
    waiter.join(JOIN_MILLIS);
    assertFalse(waiter.isAlive(), "the waiter never got the lock");
    assertTrue(st.tryLock(), "the waiter left the lock held");
    st.unlock();
  }

  @Test
  void anInterruptedWaiterParksTakesTheLockAndKeepsItsInterrupt() throws Exception {
    Stripe st = new Stripe();
    st.lock();
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      st.lock();
      interruptedAfter.set(Thread.currentThread().isInterrupted());
      st.unlock();
    }, "stripe-interrupted-waiter");
    waiter.setDaemon(true);
    waiter.start();
    awaitParked(st, waiter);
    waiter.interrupt();
    // it parks again rather than spinning on its interrupt: seen parked, its flag cleared meanwhile
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
    while (waiter.isInterrupted()) {
      assertTrue(System.nanoTime() < deadline, "the waiter never took its interrupt");
      Thread.yield();
    }
    awaitParked(st, waiter);
    st.unlock();
    waiter.join(JOIN_MILLIS);
    assertFalse(waiter.isAlive(), "the interrupted waiter never got the lock");
    assertEquals(Boolean.TRUE, interruptedAfter.get(), "the waiter's interrupt was lost");
  }

  /**
   * The lock's first contention, on a fresh stripe each round: the waiter makes the queue while the
   * holder, after a random spin, unlocks. A queue the holder cannot see, or a wake-up that never
   * comes, leaves the waiter parked with the lock free, and the round fails after its timeout. The
   * narrowest interleaving (the holder read no queue an instant before the waiter made it) is rarely
   * hit this way; {@link Stripe#unlock} reads the queue again after its store for it.
   */
  @Test
  void aThreadThatMakesTheQueueWhileTheHolderUnlocksIsNeverLeftParked() throws Exception {
    SynchronousQueue<Stripe> handoff = new SynchronousQueue<>();
    SynchronousQueue<Stripe> done = new SynchronousQueue<>();
    Stripe poison = new Stripe();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        for (Stripe st = handoff.take(); st != poison; st = handoff.take()) {
          st.lock();
          st.unlock();
          if (!done.offer(st, JOIN_MILLIS, TimeUnit.MILLISECONDS)) {
            return;
          }
        }
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    }, "stripe-first-waiter");
    waiter.setDaemon(true);
    waiter.start();
    Random random = new Random(42);
    int contended = 0;
    try {
      for (int round = 0; round < 20_000; round++) {
        Stripe st = new Stripe();
        st.lock();
        handoff.put(st);
        // let the waiter get anywhere from not yet trying to parked
        for (int spin = random.nextInt(2_000); spin > 0; spin--) {
          Thread.onSpinWait();
        }
        st.unlock();
        assertEquals(st, done.poll(JOIN_MILLIS, TimeUnit.MILLISECONDS), "round " + round + ": the waiter never got the lock");
        if (st.waiters != null) {
          contended++;
        }
        assertTrue(st.tryLock(), "round " + round + ": the lock was left held");
      }
    } finally {
      // after a failed round the waiter may sit parked with the lock free: wake it to end it
      LockSupport.unpark(waiter);
      handoff.offer(poison, JOIN_MILLIS, TimeUnit.MILLISECONDS);
      waiter.join(JOIN_MILLIS);
    }
    assertFalse(waiter.isAlive());
    assertEquals(null, failure.get());
    // the race was run, not only the uncontended path: the waiter found the lock held and queued
    assertTrue(contended >= 100, "the waiter queued in only " + contended + " rounds");
  }

  @Test
  void tryLockFailsWhileHeldAndSucceedsAfter() {
    Stripe st = new Stripe();
    assertTrue(st.tryLock());
    assertFalse(st.tryLock());
    st.unlock();
    assertTrue(st.tryLock());
    st.unlock();
  }

  @Test
  void theWrittenFieldsAre128BytesFromTheObjectsStartAndFromEveryOtherField() throws Exception {
    for (Class<?> c : List.of(Stripe.class, TagBuffer.class)) {
      long hotStart = Long.MAX_VALUE;
      long hotEnd = 0;
      long end = 0;
      List<Field> others = new ArrayList<>();
      for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
        for (Field f : k.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers())) {
            continue;
          }
          long at = Layout.offset(f);
          end = Math.max(end, at + Layout.size(f));
          if (k == StripeFields.class) {
            hotStart = Math.min(hotStart, at);
            hotEnd = Math.max(hotEnd, at + Layout.size(f));
          } else if (k != StripePadding.class && k != Stripe.class) {
            others.add(f);
          }
        }
      }
      // whatever the heap puts before the object ends where the object starts
      assertTrue(hotStart >= 128, c.getSimpleName() + ": the written fields start at byte " + hotStart);
      long hotEndFinal = hotEnd;
      for (Field f : others) {
        long at = Layout.offset(f);
        assertTrue(at >= hotEndFinal + 128, c.getSimpleName() + "." + f.getName() + " is at byte " + at
            + ", within 128 bytes of the written fields, which end at " + hotEndFinal);
      }
      if (c == Stripe.class) {
        assertTrue(end >= hotEnd + 128, "a stripe ends at byte " + end + ", the written fields at " + hotEnd);
      }
    }
  }

  /** Field offsets and sizes as this JVM lays them out, through the JDK's unsupported Unsafe. */
  private static final class Layout {
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private static sun.misc.Unsafe unsafe() {
      try {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (sun.misc.Unsafe) f.get(null);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }

    @SuppressWarnings("deprecation")
    static long offset(Field f) {
      return UNSAFE.objectFieldOffset(f);
    }

    static long size(Field f) {
      Class<?> t = f.getType();
      if (t == long.class || t == double.class) {
        return 8;
      }
      if (t == int.class || t == float.class) {
        return 4;
      }
      if (t == short.class || t == char.class) {
        return 2;
      }
      if (t == byte.class || t == boolean.class) {
        return 1;
      }
      return sun.misc.Unsafe.ARRAY_OBJECT_INDEX_SCALE;
    }
  }

  /** A thread that takes the lock, and gives it back at once. */
  private static Thread startWaiter(Stripe st) {
    Thread waiter = new Thread(() -> {
      st.lock();
      st.unlock();
    }, "stripe-waiter");
    waiter.setDaemon(true);
    waiter.start();
    return waiter;
  }

  /** Waits until {@code t} is queued on {@code st}'s lock and parked there. */
  private static void awaitParked(Stripe st, Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
    while (!(st.isQueued(t) && t.getState() == Thread.State.WAITING)) {
      assertTrue(System.nanoTime() < deadline, "the waiter never parked");
      Thread.yield();
    }
  }
}
