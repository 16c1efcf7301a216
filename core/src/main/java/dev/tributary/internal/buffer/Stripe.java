package dev.tributary.internal.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One open chunk of a tag and its lock, a non-reentrant mutex that guards the fields; see {@link
 * TagBuffer}. A lock is held only for a copy.
 *
 * <p>The lock is taken with one compare-and-set and released with a plain release store, no
 * fence: the event just copied under it is often in memory the core has not written lately, and
 * a fence at the release would stall the caller until those writes were done (a third of an
 * uncontended append, measured). A thread that finds the lock held spins briefly, as long as a
 * copy takes, then parks. Whoever releases wakes the thread that parked last; since nothing orders
 * the release before that look at the parked thread, a thread that parks just then may miss its
 * wake-up, so parked threads also wake by themselves, after at most {@link #MAX_PARK_NANOS}, and
 * try again.
 *
 * <p>The fields a stripe's appenders write come first ({@link StripeFields}) and the padding
 * declared here after them, so that two stripes, which different threads write, never share a
 * cache line, nor do a tag buffer's read-mostly fields and its own stripe's.
 */
class Stripe extends StripeFields {
  // 128 bytes, as the JDK pads contended fields: the line and the one fetched along with it
  long pad00, pad01, pad02, pad03, pad04, pad05, pad06, pad07;
  long pad08, pad09, pad10, pad11, pad12, pad13, pad14, pad15;

  private static final VarHandle HELD;
  private static final VarHandle PARKED;
  private static final VarHandle APPENDED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      HELD = l.findVarHandle(StripeFields.class, "held", int.class);
      PARKED = l.findVarHandle(StripeFields.class, "parked", Thread.class);
      APPENDED = l.findVarHandle(StripeFields.class, "appended", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Spins before a waiting thread parks: a few microseconds, longer than a copy holds the lock. */
  static final int SPINS = 128;
  /** How long a parked thread sleeps at first when no one wakes it; doubled each time, to the maximum. */
  static final long MIN_PARK_NANOS = 10_000;
  /** The longest a parked thread sleeps before it looks at the lock again by itself. */
  static final long MAX_PARK_NANOS = 200_000;

  final boolean tryLock() {
    return HELD.compareAndSet(this, 0, 1);
  }

  final void lock() {
    if (!tryLock()) {
      lockContended();
    }
  }

  private void lockContended() {
    for (int i = 0; i < SPINS; i++) {
      Thread.onSpinWait();
      if (held == 0 && tryLock()) {
        return;
      }
    }
    Thread me = Thread.currentThread();
    long sleep = MIN_PARK_NANOS;
    boolean interrupted = false;
    while (true) {
      parked = me; // a volatile store: ordered before the look at the lock just below
      if (held == 0 && tryLock()) {
        PARKED.compareAndSet(this, me, null);
        if (interrupted) {
          me.interrupt(); // the lock does not answer interrupts; the caller's code may
        }
        return;
      }
      LockSupport.parkNanos(this, sleep);
      // an interrupted thread's park returns at once: clear the flag while waiting, set it again after
      interrupted |= Thread.interrupted();
      sleep = Math.min(sleep * 2, MAX_PARK_NANOS);
    }
  }

  final void unlock() {
    HELD.setRelease(this, 0);
    Thread t = parked;
    if (t != null) {
      LockSupport.unpark(t);
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

  /** The thread parked on the lock last, or null (tests). */
  final Thread parkedThread() {
    return parked;
  }

  /** Forgets the parked thread, as a release racing with its park would miss it (tests). */
  final void forgetParkedThread() {
    parked = null;
  }
}
