package dev.tributary;

import java.time.Instant;
import java.util.Optional;

/**
 * One server's part of a {@link TributaryMetrics} snapshot, from {@link TributaryMetrics#servers()},
 * in the order the servers were configured. Immutable.
 *
 * <p>Chunks are counted as requests: a chunk resent after a failure counts again where it is
 * resent, and a chunk split in two counts as two from then on.
 *
 * <pre>{@code
 * for (ServerMetrics s : tributary.metrics().servers()) {
 *   if (!s.healthy()) {
 *     alerts.warn(s.server() + " is down: " + s.lastError().orElse("?"));
 *   }
 * }
 * }</pre>
 */
public final class ServerMetrics {

  private final String server;
  private final int weight;
  private final boolean standby;
  private final boolean connected;
  private final boolean healthy;
  private final long chunksSent;
  private final long chunksAcked;
  private final long chunksFailed;
  private final String lastError;
  private final Instant lastErrorTime;

  ServerMetrics(String server, int weight, boolean standby, boolean connected, boolean healthy,
      long chunksSent, long chunksAcked, long chunksFailed, String lastError, Instant lastErrorTime) {
    this.server = server;
    this.weight = weight;
    this.standby = standby;
    this.connected = connected;
    this.healthy = healthy;
    this.chunksSent = chunksSent;
    this.chunksAcked = chunksAcked;
    this.chunksFailed = chunksFailed;
    this.lastError = lastError;
    this.lastErrorTime = lastErrorTime;
  }

  /** The server as configured: {@code host:port} ({@code [v6addr]:port} for IPv6). */
  public String server() {
    return server;
  }

  /** Its weight in the load balance. */
  public int weight() {
    return weight;
  }

  /** Whether it is a standby, taking chunks only while every primary is down. */
  public boolean standby() {
    return standby;
  }

  /** Whether a connection to it is open now. */
  public boolean connected() {
    return connected;
  }

  /**
   * False while the failure detector holds it detached: its heartbeats stopped, and it has not
   * answered them for {@code recoverWait} since. Always true with {@link HeartbeatType#NONE}.
   */
  public boolean healthy() {
    return healthy;
  }

  /** Chunks written to it (each write of a resent chunk counts). */
  public long chunksSent() {
    return chunksSent;
  }

  /** Chunks it acknowledged; with {@code requireAck} off, chunks written to it. */
  public long chunksAcked() {
    return chunksAcked;
  }

  /**
   * Chunks handed back to be sent again because of it: its connection could not be made or
   * broke, or it left them unacknowledged.
   */
  public long chunksFailed() {
    return chunksFailed;
  }

  /** The last error seen with it (a failed connection, a broken one, a failed heartbeat), if any. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** When {@link #lastError()} happened, by the instance's clock. */
  public Optional<Instant> lastErrorTime() {
    return Optional.ofNullable(lastErrorTime);
  }

  @Override
  public String toString() {
    return "ServerMetrics{" + server + (standby ? " standby" : "") + " weight=" + weight
        + ", connected=" + connected + ", healthy=" + healthy + ", sent=" + chunksSent
        + ", acked=" + chunksAcked + ", failed=" + chunksFailed
        + (lastError == null ? "" : ", lastError=" + lastError + " at " + lastErrorTime) + "}";
  }
}
