package dev.tributary.benchmarks.peers;

import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ForwardServerConfig;

/**
 * The testkit {@link ForwardServer} in count-only mode: it reads every request, counts its events,
 * and acks when asked, as a Fluentd aggregator would. One per subject, so counts never mix.
 */
final class ForwardSink implements Sink {

  private final ForwardServer server;

  private ForwardSink(ForwardServer server) {
    this.server = server;
  }

  static ForwardSink open(int receiveBufferSize) {
    ForwardServerConfig.Builder b = ForwardServer.builder().countOnly(true);
    if (receiveBufferSize > 0) {
      b.receiveBufferSize(receiveBufferSize);
    }
    return new ForwardSink(b.build());
  }

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public boolean isServer() {
    return true;
  }

  @Override
  public long received() {
    return server.eventCount();
  }

  @Override
  public void stall(boolean stall) {
    server.stallReading(stall);
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return server.toString();
  }
}
