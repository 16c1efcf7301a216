package dev.tributary.benchmarks.soak;

import dev.tributary.testkit.ForwardServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak's {@link ForwardServer}s: the current one, which the proxy forwards to, and those a
 * "server moved" fault replaced. {@link #drainInto} moves what every server received into the
 * {@link Receipts}, so no server keeps events; the totals add up every server of the run.
 *
 * <p>Thread safe: every method is synchronized, and none blocks on the network but {@link
 * #replace}, which starts a server, and {@link #close}. Owns the servers: {@link #close()} closes
 * all of them.
 */
final class Servers implements AutoCloseable {
  private final List<ForwardServer> all = new ArrayList<>();
  private ForwardServer current;
  private long retiredEvents;
  private long retiredConnections;
  private long retiredDroppedOversize;
  private long retiredOversizeResets;
  private int retiredCount;
  private final List<String> protocolErrors = new ArrayList<>();

  Servers() {
    current = ForwardServer.start();
    all.add(current);
  }

  synchronized ForwardServer current() {
    return current;
  }

  /** Starts a new server and makes it the current one; the old one stays until {@link #retire}. */
  synchronized ForwardServer replace() {
    current = ForwardServer.start();
    all.add(current);
    return current;
  }

  /** Closes {@code old} (not the current server), takes its last events and forgets it. */
  synchronized void retire(ForwardServer old, Receipts receipts) {
    if (old == current || !all.remove(old)) {
      throw new IllegalArgumentException("not a retired server: " + old);
    }
    old.close();
    retiredCount++;
    receipts.record(old.takeEvents());
    retiredEvents += old.eventCount();
    retiredConnections += old.connectionCount();
    retiredDroppedOversize += old.droppedRequestCount();
    retiredOversizeResets += old.oversizeResetCount();
    protocolErrors.addAll(old.protocolErrors());
  }

  /** Moves every event the servers stored since the last call into {@code receipts}. */
  synchronized void drainInto(Receipts receipts) {
    for (ForwardServer s : all) {
      receipts.record(s.takeEvents());
    }
  }

  /** Events all servers of the run received, duplicates included. */
  synchronized long events() {
    return retiredEvents + all.stream().mapToLong(ForwardServer::eventCount).sum();
  }

  synchronized long connections() {
    return retiredConnections + all.stream().mapToLong(ForwardServer::connectionCount).sum();
  }

  /** Requests dropped unacknowledged for their size ({@code dropRequestsOver}). */
  synchronized long droppedOversize() {
    return retiredDroppedOversize + all.stream().mapToLong(ForwardServer::droppedRequestCount).sum();
  }

  /** Connections reset for a request's size ({@code resetOnRequestOver}). */
  synchronized long oversizeResets() {
    return retiredOversizeResets + all.stream().mapToLong(ForwardServer::oversizeResetCount).sum();
  }

  /** Servers started in the run, retired or not. */
  synchronized int started() {
    return all.size() + retiredCount;
  }

  /** Protocol errors of every server (connections that ended mid-request and the like). */
  synchronized List<String> protocolErrors() {
    List<String> errors = new ArrayList<>(protocolErrors);
    all.forEach(s -> errors.addAll(s.protocolErrors()));
    return errors;
  }

  @Override
  public synchronized void close() {
    all.forEach(ForwardServer::close);
  }
}
