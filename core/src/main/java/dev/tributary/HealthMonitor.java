package dev.tributary;


import dev.tributary.internal.forward.ServerState;
import java.util.function.Supplier;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Works out {@link Health} on demand from what the pipeline already keeps: the servers' states,
 * the counters and the byte budget. Nothing on the event path writes to it. Thread safe: the
 * memory of recent losses is updated under this object's lock, by whoever asks.
 */
final class HealthMonitor {

  private final List<ServerState> servers;
  private final Supplier<TributaryMetrics> metrics;
  private final LongSupplier usedBytes;
  private final long budgetBytes;
  private final long fullMargin;
  private final BooleanSupplier closing;
  private final LongSupplier nanoClock;
  private final long retryTimeoutNanos;
  private final long lossWindowNanos;

  // what the last look saw, so that "dropping" means "lost something lately"
  private long lossesSeen;
  private long lastLossNanos;
  private boolean lostAny;

  /**
   * @param servers every server of every forward output
   * @param usedBytes bytes held across the outputs' budgets (memory pages, or chunk files on disk)
   * @param budgetBytes the outputs' budgets together: {@code bufferMaxBytes}, or the disk budget
   *     {@code fileBufferMaxBytes} of an output with a file buffer
   * @param fullMargin free bytes below which the budget counts as full: a page, or one chunk file
   *     when an output has a file buffer
   */
  HealthMonitor(List<ServerState> servers, Supplier<TributaryMetrics> metrics, LongSupplier usedBytes,
      long budgetBytes, long fullMargin, BooleanSupplier closing, LongSupplier nanoClock, long retryTimeoutNanos,
      long lossWindowNanos) {
    this.servers = List.copyOf(servers);
    this.metrics = metrics;
    this.usedBytes = usedBytes;
    this.budgetBytes = budgetBytes;
    this.fullMargin = fullMargin;
    this.closing = closing;
    this.nanoClock = nanoClock;
    this.retryTimeoutNanos = retryTimeoutNanos;
    this.lossWindowNanos = lossWindowNanos;
  }

  Health health() {
    long now = nanoClock.getAsLong();
    int connected = 0;
    int takers = 0;
    int downPastTimeout = 0;
    ServerState failing = null;
    ServerState detached = null;
    ServerState.ErrorNote lastError = null;
    for (ServerState s : servers) {
      if (s.connected()) {
        connected++;
      }
      ServerState.ErrorNote e = s.lastError();
      if (e != null && (lastError == null || e.time().isAfter(lastError.time()))) {
        lastError = e;
      }
      if (s.spec().weight() == 0) {
        continue; // listed, never sent to: not part of the verdict
      }
      takers++;
      if (s.failing()) {
        if (failing == null) {
          failing = s;
        }
        if (now - s.failingSinceNanos() >= retryTimeoutNanos) {
          downPastTimeout++;
        }
      }
      if (!s.healthy() && detached == null) {
        detached = s;
      }
    }
    long used = usedBytes.getAsLong();
    long budget = budgetBytes;
    boolean lostLately = lostLately(now);

    Health.State state;
    String reason;
    if (closing.getAsBoolean()) {
      state = Health.State.DOWN;
      reason = "closed";
    } else if (takers > 0 && downPastTimeout == takers) {
      state = Health.State.DOWN;
      reason = "every server has been failing for retryTimeout or longer";
    } else if (failing != null) {
      state = Health.State.DEGRADED;
      reason = "retrying: connections to " + failing.address() + " failed since its last ack";
    } else if (detached != null) {
      state = Health.State.DEGRADED;
      reason = "server " + detached.address() + " is detached by the failure detector";
    } else if (lostLately) {
      state = Health.State.DEGRADED;
      reason = "dropping: events were dropped or given up in the last " + (lossWindowNanos / 1_000_000) + " ms";
    } else if (connected == 0 && budget - used < fullMargin) {
      state = Health.State.DEGRADED;
      reason = "no server connected and the buffer is full";
    } else {
      state = Health.State.UP;
      reason = connected > 0 ? connected + " of " + servers.size() + " servers connected" : "buffer below its budget";
    }
    String message = lastError == null ? null : lastError.message();
    Instant time = lastError == null ? null : lastError.time();
    return new Health(state, reason, connected, servers.size(), message, time, used, budget);
  }

  /** Whether events were lost (dropped or given up, closing aside) within the loss window. */
  private synchronized boolean lostLately(long now) {
    long losses = 0;
    TributaryMetrics m = metrics.get();
    for (java.util.Map.Entry<DropReason, Long> e : m.dropped().entrySet()) {
      losses += e.getKey() == DropReason.CLOSED ? 0 : e.getValue();
    }
    for (java.util.Map.Entry<FailureReason, Long> e : m.failed().entrySet()) {
      losses += e.getKey() == FailureReason.UNDELIVERED_AT_CLOSE ? 0 : e.getValue();
    }
    if (losses != lossesSeen) {
      lossesSeen = losses;
      lastLossNanos = now;
      lostAny = true;
    }
    return lostAny && now - lastLossNanos < lossWindowNanos;
  }
}
