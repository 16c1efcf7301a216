package dev.tributary.internal.filter;

import dev.tributary.DropReason;
import dev.tributary.Filter;
import dev.tributary.TributaryListener;
import dev.tributary.internal.metrics.Counters;
import dev.tributary.internal.report.SafeListener;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Runs the configured filters over one event on the emitting thread, counts what they drop and
 * what they throw, and hands each event that is kept (and each copy a filter emitted) to the
 * encoder.
 *
 * <p>Thread safe: any number of threads may {@link #run} at once; per-filter error counts are
 * {@link LongAdder}s. {@link #report} runs on the flusher thread only.
 */
public final class FilterChain {

  private final Filter[] filters;
  private final String[] names;
  private final Filter.OnError[] onError;
  private final DropReason[] dropReason;
  /** Whether the event is kept before filter i runs: it keeps the event when it throws, and may change it. */
  private final boolean[] saveFirst;
  /** Whether filter i changes the record's top level only: then only that is kept before it runs. */
  private final boolean[] topLevelOnly;
  private final LongAdder[] errors;
  private final long[] reported;
  private final Throwable[] lastError;
  private final Counters counters;

  public FilterChain(List<Filter> filters, Counters counters) {
    int n = filters.size();
    this.filters = filters.toArray(new Filter[0]);
    this.names = new String[n];
    this.onError = new Filter.OnError[n];
    this.dropReason = new DropReason[n];
    this.saveFirst = new boolean[n];
    this.topLevelOnly = new boolean[n];
    this.errors = new LongAdder[n];
    this.reported = new long[n];
    this.lastError = new Throwable[n];
    this.counters = counters;
    for (int i = 0; i < n; i++) {
      Filter f = this.filters[i];
      names[i] = "#" + (i + 1) + " " + f;
      Filter.OnError e = f.onError();
      onError[i] = e == null ? Filter.OnError.KEEP : e;
      dropReason[i] = f.dropReason() == DropReason.THROTTLED ? DropReason.THROTTLED : DropReason.FILTERED;
      errors[i] = new LongAdder();
      saveFirst[i] = onError[i] == Filter.OnError.KEEP && !(f instanceof LeavesEventAlone);
      topLevelOnly[i] = f instanceof TopLevelChanges && ((TopLevelChanges) f).changesTopLevelOnly();
    }
  }

  /** The filters, in order. */
  public int size() {
    return filters.length;
  }

  /**
   * Runs every filter over {@code event}; hands it to {@code sink} unless a filter drops it, and
   * each copy a filter emits too (after the filters that follow that one). Drops are counted
   * here; the caller has counted the event as emitted, and each copy is counted as emitted here.
   * A filter that throws has no effect but its {@code onError}: with {@code KEEP} the event goes
   * on as it was before that filter ran (kept in {@code scratch} first), and the copies it emitted
   * are discarded either way.
   */
  public void run(Filter.Event event, FilterScratch scratch, Consumer<Filter.Event> sink) {
    run(event, 0, scratch, sink);
  }

  private void run(Filter.Event event, int from, FilterScratch scratch, Consumer<Filter.Event> sink) {
    for (int i = from; i < filters.length; i++) {
      boolean keep;
      if (saveFirst[i]) {
        scratch.save(event, topLevelOnly[i]);
      }
      try {
        keep = filters[i].filter(event);
      } catch (Throwable t) {
        SafeListener.rethrowIfFatal(t);
        errors[i].increment();
        counters.filterErrors.increment();
        lastError[i] = t; // a racy write is fine: any recent error will do for the report
        if (event.hasCopies()) {
          event.takeCopies();
        }
        if (onError[i] == Filter.OnError.KEEP) {
          if (saveFirst[i]) {
            scratch.restore(event);
          }
          continue;
        }
        counters.dropped(DropReason.FILTER_ERROR, 1);
        return;
      }
      if (event.hasCopies()) {
        for (Filter.Event copy : event.takeCopies()) {
          counters.emitted.increment();
          run(copy, i + 1, scratch, sink);
        }
      }
      if (!keep) {
        counters.dropped(dropReason[i], 1);
        return;
      }
    }
    sink.accept(event);
  }

  /** Tells {@code listener} about each filter that threw since the last call. Flusher thread only. */
  public void report(TributaryListener listener) {
    for (int i = 0; i < filters.length; i++) {
      long now = errors[i].sum();
      long since = now - reported[i];
      if (since > 0) {
        reported[i] = now;
        listener.onFilterErrors(names[i], since, onError[i], lastError[i]);
      }
    }
  }

  @Override
  public String toString() {
    return String.join(", ", names);
  }
}
