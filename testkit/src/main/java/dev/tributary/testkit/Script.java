package dev.tributary.testkit;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The misbehaviour a test has scripted: queued faults, a read budget after which a connection is
 * cut, a switch that stalls reading, an ack delay, and the size limits and keepalive refusal that
 * real aggregators are configured with. Shared by all connections of a server.
 *
 * <p>Thread safe: tests change it while connection threads consult it. Waiting for a stall to end
 * is interruptible, which is how a closing server frees stalled connection threads.
 */
final class Script {
  /** Returned by {@link #admit(int)} when the connection must be cut before reading. */
  static final Grant CUT = new Grant(0, -1);

  private static final long NO_BUDGET = -1;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition resumed = lock.newCondition();
  private final ArrayDeque<Fault> faults = new ArrayDeque<>();
  private boolean stalled;
  private long readBudget = NO_BUDGET;
  private long budgetEpoch; // changes with every closeAfterBytes, so stale refunds are dropped
  private volatile long ackDelayNanos;
  private volatile long dropRequestsOver = ForwardServerConfig.NO_SIZE_LIMIT;
  private volatile long resetOnRequestOver = ForwardServerConfig.NO_SIZE_LIMIT;
  private volatile boolean denyKeepalive;

  void enqueue(Fault fault) {
    lock.lock();
    try {
      faults.add(fault);
    } finally {
      lock.unlock();
    }
  }

  /** Takes the fault for the request just read, or {@code null}. */
  Fault nextFault() {
    lock.lock();
    try {
      return faults.poll();
    } finally {
      lock.unlock();
    }
  }

  int pendingFaults() {
    lock.lock();
    try {
      return faults.size();
    } finally {
      lock.unlock();
    }
  }

  void stall(boolean stall) {
    lock.lock();
    try {
      stalled = stall;
      if (!stall) {
        resumed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Blocks while reading is stalled. */
  void awaitReadable() throws InterruptedIOException {
    lock.lock();
    try {
      while (stalled) {
        resumed.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading was stalled");
    } finally {
      lock.unlock();
    }
  }

  void closeAfterBytes(long bytes) {
    lock.lock();
    try {
      readBudget = bytes;
      budgetEpoch++;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reserves up to {@code wanted} bytes of the read budget for one read.
   *
   * @return how many bytes the read may take, or {@link #CUT} when the budget is already used up
   *     (the budget is then cleared: it ends one connection only)
   */
  Grant admit(int wanted) {
    lock.lock();
    try {
      if (readBudget == NO_BUDGET) {
        return new Grant(wanted, NO_BUDGET);
      }
      if (readBudget == 0) {
        readBudget = NO_BUDGET;
        return CUT;
      }
      int admitted = (int) Math.min(wanted, readBudget);
      readBudget -= admitted;
      return new Grant(admitted, budgetEpoch);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Settles a read that {@link #admit} allowed, giving back what it did not use.
   *
   * @return whether this read used up the budget, so the connection must be cut on its next read
   */
  boolean settle(Grant grant, int read) {
    lock.lock();
    try {
      if (grant.epoch() != budgetEpoch || readBudget == NO_BUDGET) {
        return false;
      }
      readBudget += grant.bytes() - read;
      if (readBudget == 0 && read > 0) {
        readBudget = NO_BUDGET;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  void ackDelay(Duration delay) {
    ackDelayNanos = delay.toNanos();
  }

  long ackDelayNanos() {
    return ackDelayNanos;
  }

  void dropRequestsOver(long bytes) {
    dropRequestsOver = bytes;
  }

  /** Requests larger than this on the wire are read and dropped without an ack. */
  long dropRequestsOver() {
    return dropRequestsOver;
  }

  void resetOnRequestOver(long bytes) {
    resetOnRequestOver = bytes;
  }

  /** A request that grows larger than this on the wire resets its connection. */
  long resetOnRequestOver() {
    return resetOnRequestOver;
  }

  void denyKeepalive(boolean deny) {
    denyKeepalive = deny;
  }

  /** Whether each connection is reset after its first request (and that request's ack). */
  boolean denyKeepalive() {
    return denyKeepalive;
  }

  /**
   * Permission for one read.
   *
   * @param bytes how many bytes the read may take
   * @param epoch the budget it was taken from, or -1 when no budget applied
   */
  record Grant(int bytes, long epoch) {}
}
