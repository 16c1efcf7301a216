package dev.tributary;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one output's counters, from {@link TributaryMetrics#output(String)}. Immutable.
 *
 * <p>They count this output's copies of events: {@code emitted} is the events routed to it, and
 * {@code emitted + recoveredEvents = delivered + buffered + inFlight + dropped + failed +
 * keptOnDiskEvents} holds for each output on its own, exactly once it is idle or closed (the file
 * buffer's terms are 0 without {@code bufferPath}). Its drops are those of its own buffer ({@code
 * BUFFER_FULL}, {@code EVICTED}, {@code TOO_LARGE} for its chunk size, {@code CLOSED}); drops
 * before routing ({@code INVALID}, {@code UNMATCHED}, ...) are the instance's alone. With a file
 * buffer, each output has its own directory, disk budget and recovery, so its {@code bufferedBytes}
 * are of its disk budget and its recovered, quarantined and kept-on-disk counts are its own.
 */
public final class OutputMetrics {

  private final String name;
  private final String type;
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
  private final List<ServerMetrics> servers;
  private final long recoveredEvents;
  private final long quarantinedChunks;
  private final long quarantinedBytes;
  private final long keptOnDiskEvents;

  OutputMetrics(String name, String type, long emitted, long delivered, long bufferedEvents, long bufferedBytes,
      long inFlightEvents, EnumMap<DropReason, Long> dropped, EnumMap<FailureReason, Long> failed,
      long retries, long failedChunks, long resentEvents, List<ServerMetrics> servers, long recoveredEvents,
      long quarantinedChunks, long quarantinedBytes, long keptOnDiskEvents) {
    this.name = name;
    this.type = type;
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
    this.servers = List.copyOf(servers);
    this.recoveredEvents = recoveredEvents;
    this.quarantinedChunks = quarantinedChunks;
    this.quarantinedBytes = quarantinedBytes;
    this.keptOnDiskEvents = keptOnDiskEvents;
  }

  /** The output's name, as given to {@code output(name, ...)}; {@code forward} for the default output. */
  public String name() {
    return name;
  }

  /** {@code forward}, {@code stdout}, {@code file} or {@code null}. */
  public String type() {
    return type;
  }

  /** Copies of events routed to this output (including those it then dropped). */
  public long emitted() {
    return emitted;
  }

  /** Acknowledged (forward with acks), written to the socket, the stream or the file. */
  public long delivered() {
    return delivered;
  }

  public long bufferedEvents() {
    return bufferedEvents;
  }

  /** Bytes of this output's own budget held now: its memory budget, or its disk budget with a file buffer. */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  public long inFlightEvents() {
    return inFlightEvents;
  }

  /** Dropped copies by reason; every reason is present. */
  public Map<DropReason, Long> dropped() {
    return dropped;
  }

  public long dropped(DropReason reason) {
    return dropped.get(reason);
  }

  public long droppedTotal() {
    return TributaryMetrics.sum(dropped);
  }

  /** Failed copies by reason; every reason is present. */
  public Map<FailureReason, Long> failed() {
    return failed;
  }

  public long failed(FailureReason reason) {
    return failed.get(reason);
  }

  public long failedTotal() {
    return TributaryMetrics.sum(failed);
  }

  public long retries() {
    return retries;
  }

  public long failedChunks() {
    return failedChunks;
  }

  public long resentEvents() {
    return resentEvents;
  }

  /** A forward output's servers, in order; empty for the others. */
  public List<ServerMetrics> servers() {
    return servers;
  }

  /** Events this output's file buffer had from a previous run, found at start and queued to be sent. */
  public long recoveredEvents() {
    return recoveredEvents;
  }

  /** Chunk files of this output found unreadable at start and moved to its {@code quarantine/}. */
  public long quarantinedChunks() {
    return quarantinedChunks;
  }

  /** Bytes of the files in {@link #quarantinedChunks()}. */
  public long quarantinedBytes() {
    return quarantinedBytes;
  }

  /** Events this output left undelivered in its file buffer at close, for the next start. */
  public long keptOnDiskEvents() {
    return keptOnDiskEvents;
  }

  @Override
  public String toString() {
    return "OutputMetrics{" + name + " (" + type + "): emitted=" + emitted + ", delivered=" + delivered
        + ", buffered=" + bufferedEvents + " (" + bufferedBytes + " bytes), inFlight=" + inFlightEvents
        + ", dropped=" + dropped + ", failed=" + failed + ", retries=" + retries
        + ", failedChunks=" + failedChunks + ", resent=" + resentEvents
        + (recoveredEvents + quarantinedChunks + keptOnDiskEvents > 0 ? ", recovered=" + recoveredEvents
            + ", quarantined=" + quarantinedChunks + " (" + quarantinedBytes + " bytes), keptOnDisk=" + keptOnDiskEvents : "")
        + "}";
  }
}
