package dev.tributary.testkit;

import java.util.Map;

/**
 * One request a {@link ForwardServer} decoded: its shape on the wire rather than its events.
 *
 * <p>Requests dropped by {@link Fault#DROP_AND_CLOSE} or by {@link
 * ForwardServer#dropRequestsOver(long)} are listed too, marked {@link #dropped()} (their events are
 * not stored), so a test can see that the client did send them. Immutable and thread safe.
 *
 * <pre>{@code
 * ReceivedRequest r = server.awaitRequests(1, Duration.ofSeconds(5)).get(0);
 * assertEquals(EventMode.COMPRESSED_PACKED_FORWARD, r.mode());
 * assertNotNull(r.chunkId());
 * }</pre>
 */
public final class ReceivedRequest {
  private final EventMode mode;
  private final String tag;
  private final long eventCount;
  private final Map<String, Object> options;
  private final String chunkId;
  private final boolean compressed;
  private final long sizeInBytes;
  private final int connectionId;
  private final Fault fault;
  private final boolean dropped;

  ReceivedRequest(
      EventMode mode,
      String tag,
      long eventCount,
      Map<String, Object> options,
      String chunkId,
      boolean compressed,
      long sizeInBytes,
      int connectionId,
      Fault fault) {
    this(mode, tag, eventCount, options, chunkId, compressed, sizeInBytes, connectionId, fault,
        fault == Fault.DROP_AND_CLOSE);
  }

  ReceivedRequest(
      EventMode mode,
      String tag,
      long eventCount,
      Map<String, Object> options,
      String chunkId,
      boolean compressed,
      long sizeInBytes,
      int connectionId,
      Fault fault,
      boolean dropped) {
    this.mode = mode;
    this.tag = tag;
    this.eventCount = eventCount;
    this.options = options;
    this.chunkId = chunkId;
    this.compressed = compressed;
    this.sizeInBytes = sizeInBytes;
    this.connectionId = connectionId;
    this.fault = fault;
    this.dropped = dropped;
  }

  /** The mode the request arrived in. */
  public EventMode mode() {
    return mode;
  }

  /** The request's tag. */
  public String tag() {
    return tag;
  }

  /** How many events the request carried (not the {@code size} option, which is only a hint). */
  public long eventCount() {
    return eventCount;
  }

  /** The option map as Java values (see {@link ReceivedEvent#record()}); empty when absent. */
  public Map<String, Object> options() {
    return options;
  }

  /**
   * The {@code chunk} option, or {@code null} when the request asked for no ack. A non-string chunk
   * value is shown as its msgpack text form.
   */
  public String chunkId() {
    return chunkId;
  }

  /** Whether the entries were gzip-compressed ({@code compressed: "gzip"}). */
  public boolean compressed() {
    return compressed;
  }

  /** The size of the whole request on the wire, in bytes. */
  public long sizeInBytes() {
    return sizeInBytes;
  }

  /** The id of the connection that carried the request; ids count from 1 per server. */
  public int connectionId() {
    return connectionId;
  }

  /** The scripted fault applied to this request, or {@code null}. */
  public Fault fault() {
    return fault;
  }

  /**
   * Whether the server dropped the request's events instead of storing them: by {@link
   * Fault#DROP_AND_CLOSE}, or because it was larger than {@link
   * ForwardServer#dropRequestsOver(long)}. A dropped request is never acked.
   */
  public boolean dropped() {
    return dropped;
  }

  @Override
  public String toString() {
    return "ReceivedRequest{mode=" + mode + ", tag=" + tag + ", events=" + eventCount
        + ", options=" + options + ", bytes=" + sizeInBytes + ", connection=" + connectionId
        + (fault == null ? "" : ", fault=" + fault) + (dropped ? ", dropped" : "") + "}";
  }
}
