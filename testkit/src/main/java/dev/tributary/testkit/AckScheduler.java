package dev.tributary.testkit;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that sends delayed acks, so that {@link ForwardServer#ackDelay(Duration)} never
 * holds up a connection's reading.
 *
 * <p>The thread starts on the first delayed ack, so servers that never delay acks run no extra
 * thread. Thread safe. Owned by the server, which shuts it down when it closes.
 */
final class AckScheduler {
  private final String threadName;
  private ScheduledThreadPoolExecutor executor; // guarded by this
  private Thread thread; // guarded by this; the executor's one thread, once started
  private boolean shutDown; // guarded by this

  AckScheduler(String threadName) {
    this.threadName = threadName;
  }

  /** Runs {@code task} after {@code delayNanos}; does nothing once the server is closing. */
  void schedule(Runnable task, long delayNanos) {
    ScheduledThreadPoolExecutor e;
    synchronized (this) {
      if (shutDown) {
        return;
      }
      if (executor == null) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, threadName);
          t.setDaemon(true);
          synchronized (this) {
            thread = t;
          }
          return t;
        });
      }
      e = executor;
    }
    try {
      e.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException ignored) {
      // Lost a race with shutdown: the connection is closing and its acks do not matter.
    }
  }

  /** Drops pending acks and waits up to {@code timeout} for the thread to end. */
  void shutdown(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ScheduledThreadPoolExecutor e;
    synchronized (this) {
      shutDown = true;
      e = executor;
    }
    if (e != null) {
      e.shutdownNow();
      e.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
      Thread t;
      synchronized (this) {
        t = thread;
      }
      // the executor counts as terminated a moment before its thread has ended
      if (t != null) {
        TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
      }
    }
  }
}
