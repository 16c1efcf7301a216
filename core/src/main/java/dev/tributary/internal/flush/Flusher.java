package dev.tributary.internal.flush;

import dev.tributary.FailureReason;
import dev.tributary.TributaryListener;
import dev.tributary.internal.buffer.Accumulator;
import dev.tributary.internal.buffer.Chunk;
import dev.tributary.internal.buffer.ChunkQueue;
import dev.tributary.internal.buffer.ChunkStore;
import dev.tributary.internal.metrics.Counters;
import dev.tributary.internal.output.DeliverySink;
import dev.tributary.internal.output.Output;
import dev.tributary.internal.report.LossSummary;
import dev.tributary.internal.report.SafeListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * The I/O loop of one instance, run by its thread {@code tributary-flusher-<name>}: seals chunks
 * that have lingered, hands sealed chunks to the output, puts failed chunks back with backoff or
 * gives up on them at the retry limit, and reports losses as a rate-limited summary.
 *
 * <p>{@link #runOnce()} is one step of the loop, so tests can drive it by hand. Every call into
 * the listener happens here, outside any lock.
 *
 * <p>A chunk the output hands back is put at the head of the queue again, unless its retries ran
 * out. A chunk the server left unacknowledged while it acknowledged others is split in two and
 * resent at once (no backoff, no retry attempt), down to single events; a single event refused
 * {@code rejectedAttempts} times is given up as {@link FailureReason#REJECTED}. When a connection
 * fails, only the oldest chunk on it is charged a retry attempt: the others did not fail on their
 * own account.
 */
public final class Flusher implements Runnable, DeliverySink {

  private final Accumulator accumulator;
  private final ChunkQueue queue;
  private final ChunkStore store;
  private final Counters counters;
  private final TributaryListener listener;
  private final LongSupplier nanoClock;
  private final long lingerNanos;
  private final long tickNanos;
  /** Chunks due this soon are sealed together, so that many tags do not each cost a pass. */
  private final long sealSlackNanos;
  private final Backoff backoff;
  private final int retryMaxAttempts;
  private final long retryTimeoutNanos;
  private final int rejectedAttempts;
  private final long reportIntervalNanos;
  private Output output;
  private LossSummary summary;
  /** More to report with each summary (the filters' errors); set before the thread starts. */
  private Runnable alsoReport;

  private final CountDownLatch drained = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean ackedSinceFailure;
  private long nextAttemptNanos;
  private long nextReportNanos;
  private long nextSealNanos;
  /** A chunk was sent with more to follow and may still sit in the output's buffer. */
  private boolean unflushed;

  public Flusher(Accumulator accumulator, ChunkQueue queue, ChunkStore store, Counters counters,
      TributaryListener listener,
      LongSupplier nanoClock, long lingerNanos, Backoff backoff, int retryMaxAttempts,
      long retryTimeoutNanos, int rejectedAttempts, long reportIntervalNanos) {
    this.accumulator = accumulator;
    this.queue = queue;
    this.store = store;
    this.counters = counters;
    // every call isolated once, here: a listener that throws must not stop delivery
    this.listener = listener instanceof SafeListener ? listener : new SafeListener(listener);
    this.nanoClock = nanoClock;
    this.lingerNanos = lingerNanos;
    this.tickNanos = Math.max(1_000_000L, Math.min(lingerNanos / 2, 1_000_000_000L));
    this.sealSlackNanos = Math.min(lingerNanos / 8, 20_000_000L);
    this.backoff = backoff;
    this.retryMaxAttempts = retryMaxAttempts;
    this.retryTimeoutNanos = retryTimeoutNanos;
    this.rejectedAttempts = rejectedAttempts;
    this.reportIntervalNanos = reportIntervalNanos;
    long now = nanoClock.getAsLong();
    this.nextReportNanos = now + reportIntervalNanos;
    this.nextSealNanos = now + lingerNanos;
  }

  /**
   * Reports losses through {@code summary}, shared with the instance's other outputs, instead of
   * from this flusher's counters alone.
   */
  public void summary(LossSummary summary) {
    this.summary = summary;
  }

  /** Sets the output; the output is made with this flusher as its sink, so it comes second. */
  public void output(Output output) {
    this.output = output;
  }

  @Override
  public void run() {
    try {
      while (running) {
        try {
          runOnce();
        } catch (InterruptedException e) {
          // an interrupt from outside does not end delivery; close() stops the loop by running
          Thread.interrupted();
        } catch (Throwable e) {
          // a bug must not end delivery for the life of the application
          listener.onConnectionFailure("internal", e);
          pauseAfterBug();
        }
      }
    } finally {
      shutdown();
      stopped.countDown();
    }
  }

  private void pauseAfterBug() {
    try {
      flushOutput();
      queue.await(tickNanos, false);
    } catch (InterruptedException e) {
      Thread.interrupted();
    }
  }

  /** One step: seal, collect failures, report, then send one chunk or wait for work. */
  public void runOnce() throws InterruptedException {
    long now = nanoClock.getAsLong();
    if (now - nextSealNanos >= 0) {
      // each open chunk is sealed at its own deadline (created + flushInterval), not on a tick
      long oldestLeft = accumulator.sealOlderThan(now - lingerNanos + sealSlackNanos);
      nextSealNanos = oldestLeft == Long.MAX_VALUE ? now + lingerNanos
          : Math.max(now + 1_000_000L, oldestLeft + lingerNanos - sealSlackNanos);
    }
    handleFailures(now);
    store.maintain(now, listener);
    if (now - nextReportNanos >= 0) {
      report(false);
      nextReportNanos = now + reportIntervalNanos;
    }
    if (ackedSinceFailure) {
      ackedSinceFailure = false;
      backoff.reset();
    }
    if (accumulator.closed() && queue.isEmpty() && counters.inFlight.sum() == 0) {
      drained.countDown();
    }
    long wait = Math.max(0, Math.min(tickNanos, nextSealNanos - now));
    if (now - nextAttemptNanos < 0) {
      flushOutput();
      queue.await(Math.min(wait, nextAttemptNanos - now), false);
      return;
    }
    if (output.canAccept()) {
      Chunk c = queue.poll();
      if (c != null) {
        if (c.written()) {
          counters.resent.add(c.records());
        }
        store.beforeSend(c);
        counters.inFlight.add(c.records());
        counters.buffered.add(-c.records());
        // with another chunk queued the output may write both at once: many small chunks (many
        // tags) would otherwise cost a socket write each
        boolean more = !queue.isEmpty();
        try {
          output.send(c, more);
          unflushed = more;
        } catch (IOException e) {
          // the chunk is among output.takeFailed(); the next step retries it
        }
        return;
      }
      flushOutput();
      queue.await(wait, true);
    } else {
      flushOutput();
      queue.await(wait, false);
    }
  }

  /** Writes out what the output kept back, before this thread waits for anything. */
  private void flushOutput() {
    if (unflushed) {
      unflushed = false;
      output.flush();
    }
  }

  private void handleFailures(long now) {
    List<Chunk> failed = output.takeFailed();
    if (failed.isEmpty()) {
      return;
    }
    Throwable cause = output.lastFailure();
    List<Chunk> retry = new ArrayList<>(failed.size() + 1);
    List<Chunk> last = new ArrayList<>(1);
    boolean connectionFailed = false;
    for (Chunk c : failed) {
      if (c.records() == 1 && c.rejections() >= rejectedAttempts) {
        giveUpInFlight(c, FailureReason.REJECTED, cause);
        continue;
      }
      if (!c.unackedWhileServerAcked()) {
        // the first chunk of a failed connection carries the attempt; the rest only rode with it
        boolean charge = !connectionFailed;
        connectionFailed = true;
        int attempts = charge ? c.failedAttempt(now) : c.attempts();
        boolean exhausted = (retryMaxAttempts > 0 && attempts >= retryMaxAttempts)
            || (retryTimeoutNanos > 0 && attempts > 0 && now - c.firstFailureNanos() >= retryTimeoutNanos);
        if (exhausted) {
          giveUpInFlight(c, FailureReason.RETRIES_EXHAUSTED, cause);
          continue;
        }
      }
      counters.retries.increment();
      if (c.sendLast()) {
        c.sendLast(false);
        last.add(c);
      } else if (c.splitWanted() && c.records() > 1) {
        for (Chunk half : c.split()) {
          retry.add(half);
        }
      } else {
        retry.add(c);
      }
    }
    queue.addFirst(retry);
    long back = 0;
    for (Chunk c : retry) {
      back += c.records();
    }
    for (Chunk c : last) {
      queue.add(c);
      back += c.records();
    }
    counters.buffered.add(back);
    counters.inFlight.add(-back);
    if (connectionFailed) {
      nextAttemptNanos = now + backoff.nextDelayNanos();
      ackedSinceFailure = false;
    } else {
      queue.wakeup();
    }
  }

  /** Gives up a chunk the output handed back. */
  private void giveUpInFlight(Chunk c, FailureReason reason, Throwable cause) {
    counters.inFlight.add(-c.records());
    counters.buffered.add(c.records());
    giveUp(c, reason, cause);
  }

  /** Gives up a chunk held in the buffer (queued or handed back). */
  private void giveUp(Chunk c, FailureReason reason, Throwable cause) {
    int records = c.records();
    String tag = c.tag();
    counters.buffered.add(-records);
    c.free();
    counters.failed(reason, records);
    counters.failedChunks.increment();
    listener.onChunkFailed(tag, records, reason, cause);
  }

  /** Runs {@code r} on this thread with each summary, at most once per report interval. */
  public void alsoReport(Runnable r) {
    this.alsoReport = r;
  }

  private void report(boolean force) {
    if (alsoReport != null) {
      alsoReport.run();
    }
    if (summary != null) {
      summary.report(listener, force);
      return;
    }
    Map<dev.tributary.DropReason, Long> dropped = counters.droppedSinceLastReport();
    Map<FailureReason, Long> failed = counters.failedSinceLastReport();
    if (!dropped.isEmpty() || !failed.isEmpty()) {
      listener.onSummary(dropped, failed);
    }
  }

  /**
   * Called at the end of the thread: whatever is left is undelivered, or, with a file buffer, stays
   * on disk for the next start (not a loss).
   */
  private void shutdown() {
    flushOutput();
    output.close();
    long kept = 0;
    for (Chunk c : output.takeFailed()) {
      if (store.durable()) {
        counters.inFlight.add(-c.records());
        kept += keep(c);
      } else {
        giveUpInFlight(c, FailureReason.UNDELIVERED_AT_CLOSE, output.lastFailure());
      }
    }
    accumulator.sealAll();
    for (Chunk c : queue.drain()) {
      if (store.durable()) {
        counters.buffered.add(-c.records());
        kept += keep(c);
      } else {
        giveUp(c, FailureReason.UNDELIVERED_AT_CLOSE, output.lastFailure());
      }
    }
    store.maintain(nanoClock.getAsLong(), listener);
    if (kept > 0) {
      listener.onWarning(kept + " undelivered event(s) kept on disk for the next start");
    }
    report(true);
  }

  private int keep(Chunk c) {
    store.keep(c);
    counters.keptOnDisk.add(c.records());
    return c.records();
  }

  @Override
  public void delivered(Chunk chunk) {
    counters.inFlight.add(-chunk.records());
    counters.delivered.add(chunk.records());
    chunk.free();
    ackedSinceFailure = true;
  }

  @Override
  public void wake() {
    queue.wakeup();
  }

  /** Waits until everything accepted before close began is delivered, or the timeout passes. */
  public boolean awaitDrained(long nanos) throws InterruptedException {
    return drained.await(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Asks the loop to end; a blocked send is broken off through {@link Output#abort}. */
  public void stop(Throwable reason) {
    running = false;
    queue.wakeup();
    output.abort(reason);
  }

  /** Waits for the loop to have ended and accounted for what was left. */
  public boolean awaitStopped(long nanos) throws InterruptedException {
    return stopped.await(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

}
