package dev.tributary;

import java.time.Instant;
import java.util.Optional;

/**
 * How one instance is doing, in one word and a few facts, from {@link Tributary#health()}: what a
 * readiness check, a JMX console or a dashboard wants to show. Immutable; computed when asked, from
 * the same counters as {@link Tributary#metrics()}, so asking costs nothing on the event path.
 *
 * <p>The state, first rule that applies:
 * <ol>
 *   <li>{@link State#DOWN} once {@code close()} began, or when every server that takes chunks
 *       has had its connections failing, with no ack in between, for at least {@code retryTimeout}
 *       (chunks are being given up);
 *   <li>{@link State#DEGRADED} while retrying: some server's connections failed since its last
 *       ack (its chunks wait for a retry or went to another server), or the failure detector holds
 *       it detached; or while dropping: events were dropped or given up (any {@link DropReason}
 *       but {@code CLOSED}, any {@link FailureReason} but {@code UNDELIVERED_AT_CLOSE}) within the
 *       last {@code reportInterval}; or when no server is connected and the buffer is full;
 *   <li>{@link State#UP} otherwise: some server is connected, or the buffer is below its budget.
 * </ol>
 * A server that failed counts as failing until it acknowledges a chunk again, which it does as
 * soon as events flow to it after it is back; an idle instance stays {@code DEGRADED} until then.
 *
 * <pre>{@code
 * Health h = tributary.health();
 * if (h.state() != Health.State.UP) {
 *   log.warn("tributary {}: {} ({})", tributary.name(), h.state(), h.reason());
 * }
 * }</pre>
 */
public final class Health {

  /** The one-word state; see {@link Health} for the rules. */
  public enum State {
    /** Delivering, or ready to: nothing is failing or being lost. */
    UP,
    /** Working with trouble: a server failing, chunks retried, or events lost recently. */
    DEGRADED,
    /** Closed, or no server has taken a chunk for {@code retryTimeout}. */
    DOWN
  }

  private final State state;
  private final String reason;
  private final int connectedServers;
  private final int servers;
  private final String lastError;
  private final Instant lastErrorTime;
  private final long bufferedBytes;
  private final long bufferMaxBytes;

  Health(State state, String reason, int connectedServers, int servers, String lastError,
      Instant lastErrorTime, long bufferedBytes, long bufferMaxBytes) {
    this.state = state;
    this.reason = reason;
    this.connectedServers = connectedServers;
    this.servers = servers;
    this.lastError = lastError;
    this.lastErrorTime = lastErrorTime;
    this.bufferedBytes = bufferedBytes;
    this.bufferMaxBytes = bufferMaxBytes;
  }

  public State state() {
    return state;
  }

  /** Why the state is what it is, in a short sentence (the first rule that applied). */
  public String reason() {
    return reason;
  }

  /** Servers with a connection open now. */
  public int connectedServers() {
    return connectedServers;
  }

  /** Servers configured. */
  public int servers() {
    return servers;
  }

  /** The latest error any server had (a failed or broken connection, a failed heartbeat), if any. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** When {@link #lastError()} happened, by the instance's clock. */
  public Optional<Instant> lastErrorTime() {
    return Optional.ofNullable(lastErrorTime);
  }

  /** Bytes held now across the outputs' budgets (chunk files' bytes for an output with a file buffer). */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /**
   * The outputs' budgets together: each output's {@code bufferMaxBytes}, or its {@code
   * fileBufferMaxBytes} when it has a file buffer ({@code bufferPath}).
   */
  public long bufferMaxBytes() {
    return bufferMaxBytes;
  }

  /** {@link #bufferedBytes()} as a share of {@link #bufferMaxBytes()}, from 0.0 to 1.0. */
  public double bufferFill() {
    return bufferMaxBytes == 0 ? 0 : Math.min(1.0, (double) bufferedBytes / bufferMaxBytes);
  }

  @Override
  public String toString() {
    return "Health{" + state + ": " + reason + ", connected " + connectedServers + " of " + servers
        + ", buffer " + bufferedBytes + " of " + bufferMaxBytes + " bytes"
        + (lastError == null ? "" : ", lastError=" + lastError + " at " + lastErrorTime) + "}";
  }
}
