package dev.tributary.internal.forward;

import dev.tributary.internal.buffer.Chunk;
import dev.tributary.internal.output.DeliverySink;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What Tributary knows about one configured server while it runs: its connection, whether the
 * failure detector holds it healthy, its place in the load balance, a cooldown after a failed
 * connection, and its counters.
 *
 * <p>Three threads touch it, each its own part: the flusher thread owns the connection, the
 * balance and the cooldown (the connection field is volatile so that the heartbeat thread can
 * break it and {@code metrics()} can see it); the heartbeat thread owns the detector and writes
 * {@link #healthy()}; connections' reader threads count acks through {@link #sink}. Counters and
 * the last error may be read from any thread.
 */
public final class ServerState {

  /** The last error seen for a server and when; immutable. */
  public record ErrorNote(String message, Instant time) {}

  final ServerSpec spec;
  private final LongSupplier nanoClock;

  private volatile boolean healthy = true;
  private volatile ErrorNote lastError;
  private final LongAdder sent = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final LongAdder failed = new LongAdder();
  /** When the last chunk was acknowledged (written, with acks off): evidence for the detector. */
  private volatile long lastDeliveredNanos;
  /** When this server last acknowledged a chunk, as its connections record it. */
  final AtomicLong lastAckNanos = new AtomicLong();
  /** Consecutive connection failures; an ack resets it. */
  private final AtomicInteger failures = new AtomicInteger();
  /** When the current run of {@link #failures} began; meaningful while it is above 0. */
  private volatile long failingSinceNanos;

  // flusher thread
  volatile ForwardConnection connection;
  long connectedNanos;
  boolean keepaliveProven;
  long pass;
  long seenRound = Long.MIN_VALUE;
  boolean roomNow;
  long retryAtNanos;

  // heartbeat thread
  PhiAccrualDetector detector;
  boolean probedSinceTick;
  long deliveredSeen;
  java.net.SocketAddress udpTarget;

  ServerState(ServerSpec spec, LongSupplier nanoClock) {
    this.spec = spec;
    this.nanoClock = nanoClock;
  }

  public ServerSpec spec() {
    return spec;
  }

  public ServerAddress address() {
    return spec.address();
  }

  /** False while the failure detector holds the server detached. */
  public boolean healthy() {
    return healthy;
  }

  void healthy(boolean healthy) {
    this.healthy = healthy;
  }

  /** Whether a connection is open to it now. */
  public boolean connected() {
    ForwardConnection c = connection;
    return c != null && !c.broken();
  }

  /** Requests written to it, resends included. */
  public long chunksSent() {
    return sent.sum();
  }

  /** Chunks it acknowledged (with acks off: chunks written to it). */
  public long chunksAcked() {
    return acked.sum();
  }

  /** Chunks handed back for a resend because of it: a failed connect or connection, or no ack. */
  public long chunksFailed() {
    return failed.sum();
  }

  /** The last error seen for it, or null. */
  public ErrorNote lastError() {
    return lastError;
  }

  void note(String message, Instant time) {
    lastError = new ErrorNote(message, time);
  }

  void sentOne() {
    sent.increment();
  }

  void failed(int chunks) {
    if (chunks > 0) {
      failed.add(chunks);
    }
  }

  long lastDeliveredNanos() {
    return lastDeliveredNanos;
  }

  /**
   * Whether its connections have failed since it last acknowledged a chunk (written one, with acks
   * off): chunks meant for it wait for a retry or go elsewhere. For {@code health()}; any thread.
   */
  public boolean failing() {
    return failures.get() > 0;
  }

  /** When the current run of failures began, by the instance's nano clock; only while {@link #failing()}. */
  public long failingSinceNanos() {
    return failingSinceNanos;
  }

  boolean coolingDown(long nowNanos) {
    return failures.get() > 0 && nowNanos - retryAtNanos < 0;
  }

  /** A connection to it failed: pass it over for a while that doubles with each failure in a row. */
  void coolDown(long nowNanos, long initialNanos, long maxNanos) {
    int n = failures.incrementAndGet();
    if (n == 1) {
      failingSinceNanos = nowNanos;
    }
    long wait = n >= 32 ? maxNanos : Math.min(maxNanos, initialNanos << Math.min(n - 1, 30));
    retryAtNanos = nowNanos + Math.max(0, wait);
  }

  /** The sink a connection to this server reports through: counts acks, then passes them on. */
  DeliverySink sink(DeliverySink downstream) {
    return new DeliverySink() {
      @Override
      public void delivered(Chunk chunk) {
        acked.increment();
        failures.set(0);
        lastDeliveredNanos = nanoClock.getAsLong();
        downstream.delivered(chunk);
      }

      @Override
      public void wake() {
        downstream.wake();
      }
    };
  }

  @Override
  public String toString() {
    return spec.toString();
  }
}
