package dev.tributary.internal.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * One open chunk of a tag and its lock, a non-reentrant mutex that guards the fields; see {@link
 * TagBuffer}. A lock is held only for a copy; waiting threads park.
 *
 * <p>The fields a stripe's appenders write ({@link StripeFields}) have 128 bytes of padding on
 * either side ({@link StripePadding} before them, declared here after them): the line and the one
 * fetched along with it, as the JDK pads contended fields. Two stripes, which different threads
 * write, never share a cache line, nor do a stripe's written fields share one with its tag
 * buffer's read-mostly fields, or with whatever object the heap puts next to the stripe. With
 * the padding after only, two threads on two stripes of one tag ran at 4.8–7.3 M events/s together,
 * five forks of seven under 6 M (one thread alone: 5.5 M), the array of stripes sharing a line with
 * the first stripe's lock; with it on both sides, 5.4–9.5 M, five forks of eight over 7 M ({@code
 * ManyTagsBenchmark -p tags=1 -p output=null -t 2}, a JVM per fork).
 *
 * <p>The lock is a word in those fields, so that it is padded with them: taking it free is one
 * compare-and-set and giving it back one volatile store. A thread that finds it held queues in the
 * JDK's queued synchronizer ({@link Waiters}, made the first time), whose acquire and release
 * here set the same word; from then on an unlock also reads the queue's head, and wakes the first
 * waiter when there is one. Release is a volatile store: its fence waits for the copy just made to
 * leave the store buffer, a cost a plain release store would move to the next atomic
 * instruction. A lock released that way, with waiters that spin and then park and wake by
 * themselves for the wake-ups it can miss, was measured and not kept: with 32 threads on one tag on
 * two cores a call took 9–19 µs against 4.2–4.7 µs with this one. Nor was a plain release store
 * only while no thread had ever waited (and waiters waking by themselves within 1 ms for the
 * wake-up it can miss): one thread's call with the server reading did no better (four forks each).
 * That thread's stripe had a queue by then (the flusher had found the lock held once), so the
 * store applied to no unlock; applied to every unlock, with waiters in the JDK's timed acquire
 * for the wake-ups it can miss, the stall moved to the next fence (the encoder's borrow, and the
 * clock's return from native code), 3.17–3.37 M against 3.06–3.47 M (four forks each). What the
 * fence waited for was the copy's writes into lines another core held: see {@link BufferPool}'s
 * order of pages, with which the release store, and events stamped from {@code System.nanoTime}
 * rather than that clock, still did no better (3.93–4.50 M against 4.07–4.57 M, three forks each).
 */
class Stripe extends StripeFields {
  // 128 bytes, as the JDK pads contended fields: the line and the one fetched along with it
  long pad00, pad01, pad02, pad03, pad04, pad05, pad06, pad07;
  long pad08, pad09, pad10, pad11, pad12, pad13, pad14, pad15;

  private static final VarHandle APPENDED;
  private static final VarHandle LOCK;
  private static final VarHandle WAITERS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      APPENDED = l.findVarHandle(StripeFields.class, "appended", long.class);
      LOCK = l.findVarHandle(StripeFields.class, "lockWord", int.class);
      WAITERS = l.findVarHandle(StripeFields.class, "waiters", Waiters.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final boolean tryLock() {
    return LOCK.compareAndSet(this, 0, 1);
  }

  /** Takes the lock, parking while another thread holds it; an interrupt is kept for afterwards. */
  final void lock() {
    if (!LOCK.compareAndSet(this, 0, 1)) {
      waiters().acquire(1);
    }
  }

  final void unlock() {
    Waiters w = waiters;
    if (w == null) {
      lockWord = 0;
      // a thread that found the lock held and made the queue since, looks at the word again
      // (after that store, volatile to volatile) before it parks
      w = waiters;
      if (w == null) {
        return;
      }
      w.signal();
    } else {
      w.release(1);
    }
  }

  private Waiters waiters() {
    Waiters w = waiters;
    if (w == null) {
      Waiters made = new Waiters(this);
      w = (Waiters) WAITERS.compareAndExchange(this, null, made);
      if (w == null) {
        w = made;
      }
    }
    return w;
  }

  /** Whether a thread is queued for the lock: for tests. */
  final boolean hasQueuedThreads() {
    Waiters w = waiters;
    return w != null && w.hasQueuedThreads();
  }

  /** Whether {@code t} is queued for the lock: for tests. */
  final boolean isQueued(Thread t) {
    Waiters w = waiters;
    return w != null && w.isQueued(t);
  }

  /**
   * The threads waiting for a stripe's lock, queued and woken by the JDK's synchronizer, whose
   * acquire and release take and free the stripe's own lock word (the synchronizer's state is not
   * used).
   */
  @SuppressWarnings("serial")
  static final class Waiters extends AbstractQueuedSynchronizer {
    private final transient Stripe stripe;

    Waiters(Stripe stripe) {
      this.stripe = stripe;
    }

    @Override
    protected boolean tryAcquire(int ignored) {
      return stripe.tryLock();
    }

    /** Frees the word when {@code free} is 1; with 0 only wakes the queue's head (see {@link #signal}). */
    @Override
    protected boolean tryRelease(int free) {
      if (free == 1) {
        stripe.lockWord = 0;
      }
      return true;
    }

    /**
     * Wakes the first queued thread, if any, after the word was freed without {@link #release}; the
     * word is left alone, since another thread may have taken the lock since.
     */
    void signal() {
      release(0);
    }
  }

  /** Counts one event appended; under the lock. */
  final void countAppended() {
    APPENDED.setOpaque(this, appended + 1);
  }

  /** Events appended here so far; any thread. */
  final long appendedCount() {
    return (long) APPENDED.getOpaque(this);
  }
}
