package dev.tributary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sees each event before it is encoded, may change its record (and its tag), and decides whether
 * it is kept: Fluentd's {@code <filter>}, in the process. Filters are given to {@link
 * Tributary.Builder#filter(Filter...)} and run in the order given, on the thread that emits, for
 * every event: {@code emit(tag, map)}, the {@link EventBuilder}, the {@link RecordFormatter} path
 * and so the logging adapters. With no filter configured an event pays nothing for the feature.
 *
 * <pre>{@code
 * Tributary.builder()
 *     .server("127.0.0.1", 24224)
 *     .filter(Filters.grep().exclude("level", "^DEBUG$").build(),
 *             event -> {                                  // a filter of your own
 *               event.record().put("region", "eu-west-1");
 *               return true;                              // keep it
 *             })
 *     .build();
 * }</pre>
 *
 * <p><b>The record</b> a filter sees is a mutable {@code Map<String, Object>} of its own (in the
 * order the fields were written, null keys and values allowed): the map given to {@code emit} is
 * copied, nested maps and collections too (as such maps and {@code ArrayList}s), so a filter may
 * change any level and the application's objects are never touched. The map and the {@link
 * Event} are reused for the thread's next event: a filter must not keep them past its call (copy
 * what it needs).
 * Values are what {@code emit} takes: strings, boxed numbers, booleans, nested maps and lists,
 * and anything else, encoded by the rules of {@link Tributary#emit(String, Map)}. From the
 * adapters and the event builder, text is a {@code String}, integers a {@code Long} (or {@code
 * Integer}), decimals a {@code Double} (or {@code Float}).
 *
 * <p><b>Errors.</b> Nothing a filter throws reaches the application. The event is then kept
 * unchanged (its tag and record as they were before that filter ran, the copies it emitted
 * discarded, and the next filters still run) or dropped, as {@link #onError()} says,
 * counted in {@link TributaryMetrics#filterErrors()} (drops also as {@link
 * DropReason#FILTER_ERROR}) and reported to {@link TributaryListener#onFilterErrors} at most once
 * per {@code reportInterval}. Fatal JVM errors other than a stack overflow still propagate.
 *
 * <p><b>Thread safety.</b> One filter instance serves every emitting thread at once: it must be
 * thread safe, and should be quick (it runs inside the application's logging call). It owns
 * nothing that needs closing; Tributary does not close it.
 */
@FunctionalInterface
public interface Filter {

  /** What happens to an event whose filter threw. */
  enum OnError {
    /**
     * The event goes on as it was before the filter ran: what the filter changed in its tag and
     * record is undone, what it emitted discarded (the default: a broken filter loses nothing).
     */
    KEEP,
    /**
     * The event is dropped, counted as {@link DropReason#FILTER_ERROR}; what the filter emitted
     * is discarded.
     */
    DROP
  }

  /**
   * Looks at, and may change, one event.
   *
   * @return {@code true} to keep the event, {@code false} to drop it (counted under {@link
   *     #dropReason()}, not as a failure)
   */
  boolean filter(Event event);

  /** Whether an event is kept or dropped when {@link #filter} throws. Default {@link OnError#KEEP}. */
  default OnError onError() {
    return OnError.KEEP;
  }

  /**
   * The reason events this filter drops are counted under: {@link DropReason#FILTERED} (the
   * default, an intended drop, not in the loss summaries) or {@link DropReason#THROTTLED} (a rate
   * limit: reported in the summaries). Any other value counts as {@code FILTERED}.
   */
  default DropReason dropReason() {
    return DropReason.FILTERED;
  }

  /**
   * This filter with another {@link #onError()}: {@code myFilter.withOnError(OnError.DROP)}.
   * The returned filter delegates to this one.
   */
  default Filter withOnError(OnError onError) {
    if (onError == null) {
      throw new IllegalArgumentException("onError must not be null");
    }
    Filter self = this;
    return new Filter() {
      @Override
      public boolean filter(Event event) {
        return self.filter(event);
      }

      @Override
      public OnError onError() {
        return onError;
      }

      @Override
      public DropReason dropReason() {
        return self.dropReason();
      }

      @Override
      public String toString() {
        return self + " (onError " + onError + ")";
      }
    };
  }

  /**
   * This filter for the tags that fit a Fluentd pattern only ({@code <filter app.**>}): events of
   * other tags pass it untouched. {@code Filters.grep().exclude("level", "DEBUG").build().forTags("app.**")}.
   *
   * @throws IllegalArgumentException for an empty pattern
   */
  default Filter forTags(String pattern) {
    dev.tributary.internal.route.TagPattern tags = dev.tributary.internal.route.TagPattern.compile(pattern);
    Filter self = this;
    return new Filter() {
      @Override
      public boolean filter(Event event) {
        return !tags.matches(event.tag()) || self.filter(event);
      }

      @Override
      public OnError onError() {
        return self.onError();
      }

      @Override
      public DropReason dropReason() {
        return self.dropReason();
      }

      @Override
      public String toString() {
        return self + " <" + tags + ">";
      }
    };
  }

  /**
   * One event on its way through the filters: its tag (which a filter may change), its time and
   * its record. Made by Tributary for each event; a test of a filter makes its own with {@link
   * #Event(String, EventTime, Map)}. Confined to the thread that emits; a filter must not keep it
   * or its record past its call: both are reused for the thread's next event.
   */
  final class Event {

    private String tag;
    private long epochSecond;
    private int nanos;
    private Map<String, Object> record;
    private List<Event> copies;

    /**
     * An event for {@code tag} at {@code time}, whose record is {@code record} itself (not
     * copied: the filters change it in place, so it must be mutable).
     *
     * @throws IllegalArgumentException if {@code tag} is not a valid tag, or an argument is null
     */
    public Event(String tag, EventTime time, Map<String, Object> record) {
      this(tag, checkTime(time).seconds(), time.nanos(), record);
    }

    /** As {@link #Event(String, EventTime, Map)}, with the time as seconds and nanoseconds. */
    public Event(String tag, long epochSecond, int nanos, Map<String, Object> record) {
      Tags.check(tag);
      if (record == null) {
        throw new IllegalArgumentException("record must not be null");
      }
      this.tag = tag;
      this.epochSecond = epochSecond;
      this.nanos = nanos;
      this.record = record;
    }

    /** Tributary's own: the tag is checked already. */
    Event(String tag, long epochSecond, int nanos, Map<String, Object> record, boolean checked) {
      this.tag = tag;
      this.epochSecond = epochSecond;
      this.nanos = nanos;
      this.record = record;
    }

    /**
     * Tributary's own: this event made the next one on the same thread (an event is reused, as
     * its record is, once the filters and the encoder are done with it). The tag is checked already.
     */
    Event reuse(String tag, long epochSecond, int nanos, Map<String, Object> record) {
      // the same tag and map as last time, mostly: a reference not written costs the collector nothing
      if (this.tag != tag) {
        this.tag = tag;
      }
      if (this.record != record) {
        this.record = record;
      }
      this.epochSecond = epochSecond;
      this.nanos = nanos;
      if (copies != null) {
        copies = null;
      }
      return this;
    }

    private static EventTime checkTime(EventTime time) {
      if (time == null) {
        throw new IllegalArgumentException("time must not be null");
      }
      return time;
    }

    /** The event's tag: the one it was emitted with, unless a filter changed it. */
    public String tag() {
      return tag;
    }

    /**
     * Gives the event a new tag (Fluent Bit's {@code rewrite_tag}); the filters after this one
     * see the new tag, and the event is sent under it.
     *
     * @throws IllegalArgumentException if {@code tag} is not a valid tag ({@link Tags})
     */
    public void tag(String tag) {
      Tags.check(tag);
      this.tag = tag;
    }

    /** Seconds since the epoch. */
    public long epochSecond() {
      return epochSecond;
    }

    /** Nanoseconds within the second. */
    public int nanos() {
      return nanos;
    }

    /** The time as an {@link EventTime} (a new object; {@link #epochSecond()} costs nothing). */
    public EventTime time() {
      return EventTime.of(epochSecond, nanos);
    }

    /** The record, mutable: change it in place. */
    public Map<String, Object> record() {
      return record;
    }

    /**
     * Emits a second event: this one's time and {@code record} (taken as it is, not copied),
     * under {@code tag}. The new event goes through the filters after the current one, then on
     * as an event of its own (counted as emitted). Fluent Bit's {@code rewrite_tag} with {@code
     * keep true} is this.
     *
     * @throws IllegalArgumentException if {@code tag} is not a valid tag or {@code record} is null
     */
    public void emitCopy(String tag, Map<String, Object> record) {
      Event e = new Event(tag, epochSecond, nanos, record);
      if (copies == null) {
        copies = new ArrayList<>(2);
      }
      copies.add(e);
    }

    /**
     * The events {@link #emitCopy} made since the last call, and forgets them; empty when none.
     * The pipeline reads them after each filter; a filter's test may too.
     */
    public List<Event> takeCopies() {
      List<Event> c = copies;
      if (c == null) {
        return List.of();
      }
      copies = null;
      return c;
    }

    /** Whether {@link #emitCopy} made events that {@link #takeCopies()} has not taken. */
    public boolean hasCopies() {
      return copies != null;
    }

    @Override
    public String toString() {
      return "Event{" + tag + ", " + epochSecond + "." + nanos + ", " + record + "}";
    }
  }
}
