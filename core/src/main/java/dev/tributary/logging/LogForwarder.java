package dev.tributary.logging;

import dev.tributary.Tributary;
import dev.tributary.TributaryMetrics;
import dev.tributary.internal.report.StderrListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running part of a logging adapter: turns each framework event into one {@link
 * Tributary#emit(String, long, int, Object, dev.tributary.RecordFormatter) emit} with the shared
 * record mapping, on the logging thread, and never throws into the application.
 *
 * <p><b>Recursion guard.</b> An event is dropped (and counted in {@link #recursionDropped()})
 * when it is logged on a thread that is already inside a Tributary adapter (a {@code toString()}
 * or a status listener that logs), or on one of Tributary's own {@code tributary-} threads (JDK
 * code that logs from the flusher). Tributary's own diagnostics go to {@link Diagnostics}, the
 * framework's status channel, never back into an appender.
 *
 * <p>Thread safe: any number of threads may {@link #append}. Owns its {@link Tributary} (and so
 * its threads); {@link #stop} closes it. Made by {@link LogAdapterConfig#start}.
 *
 * <pre>{@code
 * forwarder.append(event);                  // on the logging thread, never throws
 * forwarder.stop(Duration.ofSeconds(10));   // drains, reports loss to the diagnostics
 * }</pre>
 */
public final class LogForwarder<E> {

  private final String name;
  private final Tributary tributary;
  private final TagPattern tags;
  private final LogEventMapping mapping;
  private final LogEventAccessor<E> accessor;
  private final LogRecordFormatter<E> formatter;
  private final Diagnostics diagnostics;
  private final Duration closeTimeout;
  private final ReportLimiter failures;
  private final LongAdder recursive = new LongAdder();

  LogForwarder(String name, Tributary tributary, TagPattern tags, LogEventMapping mapping,
      LogEventAccessor<E> accessor, Diagnostics diagnostics, Duration closeTimeout, Duration reportInterval) {
    this.name = name;
    this.tributary = tributary;
    this.tags = tags;
    this.mapping = mapping;
    this.accessor = accessor;
    this.formatter = new LogRecordFormatter<>(mapping, accessor, tributary.maxEventBytes());
    this.diagnostics = diagnostics;
    this.closeTimeout = closeTimeout;
    this.failures = new ReportLimiter(reportInterval.toNanos());
  }

  /**
   * Encodes {@code event} into Tributary's buffer on the calling thread; the event is not kept,
   * so a framework may reuse it as soon as this returns. Blocks only as the overflow policy
   * allows (at most {@code maxBlock} under BLOCK). Never throws.
   */
  public void append(E event) {
    ThreadState t = ThreadState.CURRENT.get();
    if (t.active || t.library) {
      recursive.increment();
      return;
    }
    t.active = true;
    try {
      String tag = tags.render(accessor.level(event), accessor.logger(event));
      t.event = event;
      tributary.emit(tag, accessor.epochSecond(event), accessor.nanos(event), t, formatter);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      reportFailure(e);
    } finally {
      t.reset();
      t.active = false;
    }
  }

  private void reportFailure(Throwable e) {
    try {
      long suppressed = failures.tryReport(System.nanoTime());
      if (suppressed >= 0) {
        diagnostics.error("tributary[" + name + "]: an event could not be appended and was dropped: " + e
            + ReportLimiter.more(suppressed), e);
      }
    } catch (RuntimeException ignored) {
      // a failing status channel must not reach the application either
    }
  }

  /** Seals what is buffered so it is sent now; returns at once. */
  public void flush() {
    tributary.flush();
  }

  /** Closes with the configured {@code closeTimeout}; see {@link #stop(Duration)}. */
  public long stop() {
    return stop(closeTimeout);
  }

  /**
   * Stops intake, delivers what is buffered within {@code timeout}, closes the connection, and
   * reports to the diagnostics how many events may have been lost. Idempotent.
   *
   * @return events dropped or not delivered over this forwarder's life
   */
  public long stop(Duration timeout) {
    long undelivered = tributary.close(timeout);
    TributaryMetrics m = tributary.metrics();
    long lost = m.droppedLost() + m.failedTotal(); // a filter's intended drops are not lost
    long guarded = recursive.sum();
    if (lost > 0) {
      diagnostics.warn("tributary[" + name + "] stopped: " + lost + " of " + m.emitted()
          + " events may have been lost (dropped " + nonZero(m.dropped()) + ", not delivered "
          + nonZero(m.failed()) + ", of which " + undelivered + " still buffered at close after "
          + timeout + ")", null);
    }
    if (guarded > 0) {
      diagnostics.warn("tributary[" + name + "]: " + StderrListener.events(guarded) + " logged from inside Tributary"
          + " (re-entrant or on a tributary- thread) were not forwarded, to prevent recursion", null);
    }
    return lost;
  }

  private static String nonZero(Map<?, Long> counts) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<?, Long> e : counts.entrySet()) {
      if (e.getValue() != 0) {
        sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append('=').append(e.getValue());
      }
    }
    return sb.append('}').toString();
  }

  /** How long {@link #stop()} drains: the {@code closeTimeout} option. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** Events the recursion guard kept out. */
  public long recursionDropped() {
    return recursive.sum();
  }

  /** The Tributary instance this forwarder emits to, for its {@code metrics()}. */
  public Tributary tributary() {
    return tributary;
  }

  public LogEventMapping mapping() {
    return mapping;
  }

  /** The Tributary instance name (its threads are {@code tributary-*-<name>}). */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "LogForwarder{" + name + ", tag=" + tags + "}";
  }

}
