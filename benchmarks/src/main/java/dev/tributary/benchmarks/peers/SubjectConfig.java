package dev.tributary.benchmarks.peers;

import java.io.OutputStream;
import java.time.Duration;

/**
 * How one measure starts a subject: where to send, acks or not, and how much the library may
 * buffer. Capacity is given in events and each subject turns it into its own knob, so that every
 * library gets the same room: byte budgets get {@link #BYTES_PER_EVENT} per event (the record is
 * ~150 bytes on the wire, the rest is chunk overhead), event queues get a slot per event (rounded
 * up to a power of two where the queue needs one).
 *
 * @param host where the sink listens
 * @param port the sink's port (0 for an in-process sink)
 * @param stream the in-process sink's stream, for {@link Wire#NULL_STREAM} subjects; else null
 * @param requireAck ask the server to ack each chunk (only subjects with acks accept true)
 * @param capacityEvents how many events the library's buffer should be able to hold
 * @param maxBlock how long a caller may block on a full buffer, where the library has such a bound
 */
public record SubjectConfig(String host, int port, OutputStream stream, boolean requireAck,
    int capacityEvents, Duration maxBlock) {

  /** Bytes of buffer per event of capacity, for libraries whose buffer is a byte budget. */
  public static final long BYTES_PER_EVENT = 256;

  /**
   * The common, production-like buffer room of the emit and stalled-server measures, in events:
   * 64 MiB (Tributary's default budget) at {@link #BYTES_PER_EVENT}.
   */
  public static final int BUDGET_EVENTS = (int) ((64L << 20) / BYTES_PER_EVENT);

  /** The bound Tributary is configured with everywhere (its default, set explicitly). */
  public static final Duration MAX_BLOCK = Duration.ofMillis(100);

  /** A config for {@code sink}. */
  public static SubjectConfig of(Sink sink, boolean requireAck, int capacityEvents) {
    return new SubjectConfig(sink.host(), sink.port(), sink.stream(), requireAck, capacityEvents, MAX_BLOCK);
  }

  /** The byte budget that holds {@link #capacityEvents}. */
  public long bufferBytes() {
    return capacityEvents * BYTES_PER_EVENT;
  }

  /** {@link #capacityEvents} rounded up to a power of two, for ring buffers. */
  public int capacityPowerOfTwo() {
    int n = Integer.highestOneBit(Math.max(1, capacityEvents));
    return n == capacityEvents ? n : n << 1;
  }
}
