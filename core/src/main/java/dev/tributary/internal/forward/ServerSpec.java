package dev.tributary.internal.forward;

/**
 * One configured aggregator: its address, its weight in the load balance (0: never used) and
 * whether it is a standby, used only while every primary is down. Immutable.
 */
public record ServerSpec(ServerAddress address, int weight, boolean standby) {

  /** Fluentd's default weight. */
  public static final int DEFAULT_WEIGHT = 60;

  /** The largest weight a server may have. */
  public static final int MAX_WEIGHT = 1_000_000;

  public ServerSpec {
    if (address == null) {
      throw new IllegalArgumentException("address must not be null");
    }
    if (weight < 0 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException("weight must be within 0.." + MAX_WEIGHT + ", was " + weight);
    }
  }

  @Override
  public String toString() {
    return address + (weight == DEFAULT_WEIGHT ? "" : " weight=" + weight) + (standby ? " standby" : "");
  }
}
