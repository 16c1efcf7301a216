package dev.tributary.testkit;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * What the pumps of a {@link FaultProxy} consult while they forward client bytes: the throttle and
 * the byte budget after which a connection is reset. Shared by all connections of a proxy.
 *
 * <p>Thread safe: tests change it while pump threads consult it. A pump that waits for the
 * throttle waits at most {@link #MAX_WAIT_NANOS} at a time and wakes at once on any change, so it
 * notices a fault switched on its connection promptly.
 */
final class ProxyScript {
  /** The longest a pump waits for the throttle before it checks its connection again. */
  static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final long NO_BUDGET = -1;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Throttle throttle;
  private long version; // guarded by lock; bumped on every change, so no wake-up is missed
  private long resetBudget = NO_BUDGET; // guarded by lock

  ProxyScript(LongSupplier nanoClock) {
    this.throttle = new Throttle(nanoClock);
  }

  void throttle(long bytesPerSecond) {
    throttle.rate(bytesPerSecond);
    wake();
  }

  long throttle() {
    return throttle.rate();
  }

  /** How many bytes a pump may read at once: no more than it may forward in one piece. */
  int readSize(int bufferSize) {
    return throttle.maxPiece(bufferSize);
  }

  /**
   * Takes permission to forward up to {@code wanted} bytes; when the throttle says to wait, waits
   * (bounded, see above) and returns 0, so the caller checks its connection and asks again.
   *
   * @throws InterruptedIOException if the pump thread is interrupted while waiting
   */
  int acquire(int wanted) throws InterruptedIOException {
    long seen = version();
    int granted = throttle.tryAcquire(wanted);
    if (granted > 0 || wanted == 0) {
      return granted;
    }
    long wait = Math.min(throttle.nanosUntilFree(), MAX_WAIT_NANOS);
    lock.lock();
    try {
      if (version == seen && wait > 0) {
        changed.awaitNanos(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while throttled");
    } finally {
      lock.unlock();
    }
    return 0;
  }

  /** Sets the reset budget: {@code bytes} more client bytes, or {@link FaultProxy#UNLIMITED}. */
  void resetAfterBytes(long bytes) {
    lock.lock();
    try {
      resetBudget = bytes == FaultProxy.UNLIMITED ? NO_BUDGET : bytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes {@code bytes} about to be forwarded from the reset budget.
   *
   * @return how many of them may be forwarded, and whether the connection must be reset right
   *     after them (the budget is then cleared: it resets one connection only)
   */
  Allowance take(int bytes) {
    lock.lock();
    try {
      if (resetBudget == NO_BUDGET) {
        return new Allowance(bytes, false);
      }
      int allowed = (int) Math.min(bytes, resetBudget);
      resetBudget -= allowed;
      if (resetBudget == 0) {
        resetBudget = NO_BUDGET;
        return new Allowance(allowed, true);
      }
      return new Allowance(allowed, false);
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every pump waiting for the throttle, so it looks at its connection again. */
  void wake() {
    lock.lock();
    try {
      version++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private long version() {
    lock.lock();
    try {
      return version;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Permission to forward.
   *
   * @param bytes how many bytes may be forwarded
   * @param resetAfter whether the connection must be reset once they are
   */
  record Allowance(int bytes, boolean resetAfter) {}
}
