package dev.tributary.internal.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One open chunk of a tag and its lock, a non-reentrant mutex that guards the fields; see {@link
 * TagBuffer}. A lock is held only for a copy; waiting threads park.
 *
 * <p>The fields a stripe's appenders write come first ({@link StripeFields}) and the padding
 * declared here after them, so that two stripes, which different threads write, never share a
 * cache line, nor do a tag buffer's read-mostly fields and its own stripe's.
 *
 * <p>The lock is the JDK's queued synchronizer, whose release is a volatile store: its fence waits
 * for the copy just made to leave the store buffer, a cost a plain release store would move to the
 * next atomic instruction. A lock released that way, with waiters that spin and then park and
 * wake by themselves for the wake-ups it can miss, was measured and not kept: with 32 threads on
 * one tag on two cores a call took 9–19 µs against 4.2–4.7 µs with this one.
 */
@SuppressWarnings("serial")
class Stripe extends StripeFields {
  // 128 bytes, as the JDK pads contended fields: the line and the one fetched along with it
  long pad00, pad01, pad02, pad03, pad04, pad05, pad06, pad07;
  long pad08, pad09, pad10, pad11, pad12, pad13, pad14, pad15;

  private static final VarHandle APPENDED;

  static {
    try {
      APPENDED = MethodHandles.lookup().findVarHandle(StripeFields.class, "appended", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  protected final boolean tryAcquire(int ignored) {
    return compareAndSetState(0, 1);
  }

  @Override
  protected final boolean tryRelease(int ignored) {
    setState(0);
    return true;
  }

  final boolean tryLock() {
    return compareAndSetState(0, 1);
  }

  /** Takes the lock, parking while another thread holds it; an interrupt is kept for afterwards. */
  final void lock() {
    acquire(1);
  }

  final void unlock() {
    release(1);
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
