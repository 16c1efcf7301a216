package dev.tributary;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one instance's counters, from {@link Tributary#metrics()}. Immutable.
 *
 * <p>Every event is accounted for: {@code emitted + extraCopies + recoveredEvents = delivered +
 * buffered + inFlight + dropped + failed + keptOnDiskEvents}, exactly once the instance is idle or
 * closed (a snapshot taken while events move may be off by the events in motion). "Delivered" means
 * acknowledged by the aggregator when acks are on, and written to the socket when they are off.
 * {@code recoveredEvents} and {@code keptOnDiskEvents} are 0 without a file buffer ({@code
 * bufferPath}).
 *
 * <p>With several outputs, {@code emitted} counts events (each call once) and the other counters
 * count copies: an event routed to two outputs is delivered twice, or delivered once and failed
 * once. {@link #extraCopies()} is the number of copies beyond the first (0 while every route
 * names one output, as the default route does), which keeps the identity exact. {@link
 * #output(String)} has each output's own counters, for which {@code emitted + recoveredEvents =
 * delivered + buffered + inFlight + dropped + failed + keptOnDiskEvents} holds on its own; the
 * instance's {@code dropped} are the drops before routing ({@code INVALID}, {@code UNMATCHED}, ...)
 * plus every output's, and its file buffer counters are the sums of the outputs'.
 */
public final class TributaryMetrics {

  private final long emitted;
  private final long delivered;
  private final long bufferedEvents;
  private final long bufferedBytes;
  private final long inFlightEvents;
  private final Map<DropReason, Long> dropped;
  private final Map<FailureReason, Long> failed;
  private final long retries;
  private final long failedChunks;
  private final long resentEvents;
  private final long replacedValues;
  private final long filterErrors;
  private final List<ServerMetrics> servers;
  private final long extraCopies;
  private final List<OutputMetrics> outputs;
  private final long recoveredEvents;
  private final long quarantinedChunks;
  private final long quarantinedBytes;
  private final long keptOnDiskEvents;

  TributaryMetrics(long emitted, long delivered, long bufferedEvents, long bufferedBytes,
      long inFlightEvents, EnumMap<DropReason, Long> dropped, EnumMap<FailureReason, Long> failed,
      long retries, long failedChunks, long resentEvents, long replacedValues, long filterErrors,
      List<ServerMetrics> servers, long extraCopies, List<OutputMetrics> outputs, long recoveredEvents,
      long quarantinedChunks, long quarantinedBytes, long keptOnDiskEvents) {
    this.emitted = emitted;
    this.delivered = delivered;
    this.bufferedEvents = bufferedEvents;
    this.bufferedBytes = bufferedBytes;
    this.inFlightEvents = inFlightEvents;
    this.dropped = Collections.unmodifiableMap(dropped);
    this.failed = Collections.unmodifiableMap(failed);
    this.retries = retries;
    this.failedChunks = failedChunks;
    this.resentEvents = resentEvents;
    this.replacedValues = replacedValues;
    this.filterErrors = filterErrors;
    this.servers = List.copyOf(servers);
    this.extraCopies = extraCopies;
    this.outputs = List.copyOf(outputs);
    this.recoveredEvents = recoveredEvents;
    this.quarantinedChunks = quarantinedChunks;
    this.quarantinedBytes = quarantinedBytes;
    this.keptOnDiskEvents = keptOnDiskEvents;
  }

  /**
   * Events (copies, with several outputs) a previous run left in the file buffer ({@code
   * bufferPath}), found at start and queued to be sent; they count in {@code delivered} (or a
   * failure) like emitted ones.
   */
  public long recoveredEvents() {
    return recoveredEvents;
  }

  /**
   * Chunk files found unreadable at start and moved to {@code quarantine/} under {@code bufferPath}
   * (under each output's directory {@code bufferPath/<output>/} with declared outputs).
   */
  public long quarantinedChunks() {
    return quarantinedChunks;
  }

  /** Bytes of the files in {@link #quarantinedChunks()}. */
  public long quarantinedBytes() {
    return quarantinedBytes;
  }

  /**
   * Events left undelivered in the file buffer at close: safe on disk, sent by the next instance
   * on the same directory. Not a loss, so not in {@code failed}.
   */
  public long keptOnDiskEvents() {
    return keptOnDiskEvents;
  }

  static long sum(Map<?, Long> counts) {
    long n = 0;
    for (Long v : counts.values()) {
      n += v;
    }
    return n;
  }

  /** Events passed to {@code emit} (including those then dropped), each once however many outputs it went to. */
  public long emitted() {
    return emitted;
  }

  /** Events acknowledged (acks on) or written (acks off). Resent copies count once. */
  public long delivered() {
    return delivered;
  }

  /** Events held in chunks that are not on the wire (open or sealed, waiting or retrying). */
  public long bufferedEvents() {
    return bufferedEvents;
  }

  /** Bytes of the byte budget held now (page granularity); with a file buffer, of its disk budget. */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /** Events written and waiting for their ack. */
  public long inFlightEvents() {
    return inFlightEvents;
  }

  /** Dropped events by reason; every reason is present. */
  public Map<DropReason, Long> dropped() {
    return dropped;
  }

  public long dropped(DropReason reason) {
    return dropped.get(reason);
  }

  /** All dropped events. */
  public long droppedTotal() {
    return sum(dropped);
  }

  /** Accepted events that were not delivered, by reason; every reason is present. */
  public Map<FailureReason, Long> failed() {
    return failed;
  }

  public long failed(FailureReason reason) {
    return failed.get(reason);
  }

  public long failedTotal() {
    return sum(failed);
  }

  /** Chunk sends that failed and were scheduled again. */
  public long retries() {
    return retries;
  }

  /** Chunks given up on (retries exhausted, or undelivered at close). */
  public long failedChunks() {
    return failedChunks;
  }

  /**
   * Events written again after an earlier write of the same chunk whose ack never came: the upper
   * bound of duplicates the aggregator may have received.
   */
  public long resentEvents() {
    return resentEvents;
  }

  /** Record values replaced by a marker: cycles, nesting too deep, a failing {@code toString()}. */
  public long replacedValues() {
    return replacedValues;
  }

  /**
   * Times a {@link Filter} threw, whether the event was then kept or dropped (those dropped are
   * also in {@link #dropped(DropReason)} as {@link DropReason#FILTER_ERROR}).
   */
  public long filterErrors() {
    return filterErrors;
  }

  /**
   * Dropped events that were lost, not intended: every reason but {@link DropReason#FILTERED}
   * (events a filter chose to drop).
   */
  public long droppedLost() {
    return droppedTotal() - dropped.get(DropReason.FILTERED);
  }

  /**
   * Each configured server's connection, health and chunk counts, in the order they were
   * configured; with several forward outputs, theirs one after the other, in the order of the outputs.
   */
  public List<ServerMetrics> servers() {
    return servers;
  }

  /**
   * Copies made beyond the first: for each event routed to {@code n} outputs, {@code n - 1}. The
   * term that keeps {@code emitted + extraCopies = delivered + buffered + inFlight + dropped +
   * failed} exact with copies; 0 while every route names one output.
   */
  public long extraCopies() {
    return extraCopies;
  }

  /** Each output's counters, in the order the outputs were declared (one, {@code forward}, by default). */
  public List<OutputMetrics> outputs() {
    return outputs;
  }

  /**
   * The counters of the output named {@code name}.
   *
   * @throws IllegalArgumentException if there is no such output
   */
  public OutputMetrics output(String name) {
    for (OutputMetrics o : outputs) {
      if (o.name().equals(name)) {
        return o;
      }
    }
    List<String> names = new java.util.ArrayList<>();
    outputs.forEach(o -> names.add(o.name()));
    throw new IllegalArgumentException("no output named \"" + name + "\"; outputs: " + names);
  }

  @Override
  public String toString() {
    return "TributaryMetrics{emitted=" + emitted + ", delivered=" + delivered
        + ", buffered=" + bufferedEvents + " (" + bufferedBytes + " bytes), inFlight=" + inFlightEvents
        + ", dropped=" + dropped + ", failed=" + failed + ", retries=" + retries
        + ", failedChunks=" + failedChunks + ", resent=" + resentEvents
        + ", replacedValues=" + replacedValues + ", filterErrors=" + filterErrors + ", extraCopies=" + extraCopies
        + (recoveredEvents + quarantinedChunks + keptOnDiskEvents > 0 ? ", recovered=" + recoveredEvents
            + ", quarantined=" + quarantinedChunks + " (" + quarantinedBytes + " bytes), keptOnDisk=" + keptOnDiskEvents : "")
        + ", servers=" + servers + ", outputs=" + outputs + "}";
  }
}
