package dev.tributary.internal.forward;

/** One aggregator's address. Immutable. */
public record ServerAddress(String host, int port) {
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
