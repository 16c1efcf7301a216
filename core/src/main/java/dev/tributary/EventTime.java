package dev.tributary;

import java.time.Clock;
import java.time.Instant;

/**
 * The time of a Fluentd event: seconds since the Unix epoch and nanoseconds within that second.
 *
 * <p>On the wire it is the forward protocol's EventTime, msgpack ext type 0 with an 8-byte payload
 * (seconds and nanoseconds as unsigned 32-bit big-endian integers), so nanosecond precision reaches
 * the aggregator. Immutable and thread safe.
 *
 * <pre>{@code
 * EventTime t = EventTime.of(1_700_000_000L, 123_456_789);
 * EventTime now = EventTime.now();
 * }</pre>
 */
public final class EventTime implements Comparable<EventTime> {

  /** Largest second value the 32-bit unsigned wire format can carry. */
  public static final long MAX_SECONDS = 0xFFFF_FFFFL;

  private final long seconds;
  private final int nanos;

  private EventTime(long seconds, int nanos) {
    this.seconds = seconds;
    this.nanos = nanos;
  }

  /**
   * Returns the time {@code epochSecond} seconds plus {@code nanos} nanoseconds after the epoch.
   *
   * @throws IllegalArgumentException if {@code epochSecond} is outside 0..2^32-1 or {@code nanos}
   *     outside 0..999,999,999
   */
  public static EventTime of(long epochSecond, int nanos) {
    if (epochSecond < 0 || epochSecond > MAX_SECONDS) {
      throw new IllegalArgumentException(
          "epochSecond must be within 0.." + MAX_SECONDS + ", was " + epochSecond);
    }
    if (nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("nanos must be within 0..999999999, was " + nanos);
    }
    return new EventTime(epochSecond, nanos);
  }

  /** Returns the given instant as an event time. */
  public static EventTime of(Instant instant) {
    return of(instant.getEpochSecond(), instant.getNano());
  }

  /** Returns the given epoch milliseconds as an event time. */
  public static EventTime ofEpochMilli(long epochMilli) {
    return of(Math.floorDiv(epochMilli, 1000L), (int) Math.floorMod(epochMilli, 1000L) * 1_000_000);
  }

  /** Returns the current time of the system clock, with the precision the platform offers. */
  public static EventTime now() {
    return of(Clock.systemUTC().instant());
  }

  /** Seconds since the epoch. */
  public long seconds() {
    return seconds;
  }

  /** Nanoseconds within the second, 0..999,999,999. */
  public int nanos() {
    return nanos;
  }

  /** This time as an {@link Instant}. */
  public Instant toInstant() {
    return Instant.ofEpochSecond(seconds, nanos);
  }

  @Override
  public int compareTo(EventTime o) {
    int c = Long.compare(seconds, o.seconds);
    return c != 0 ? c : Integer.compare(nanos, o.nanos);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventTime && ((EventTime) o).seconds == seconds && ((EventTime) o).nanos == nanos;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seconds) * 31 + nanos;
  }

  @Override
  public String toString() {
    return toInstant().toString();
  }
}
