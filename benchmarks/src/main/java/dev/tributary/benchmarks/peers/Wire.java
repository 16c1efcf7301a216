package dev.tributary.benchmarks.peers;

/** What a subject writes, and so which {@link Sink} receives and counts its events. */
public enum Wire {
  /** Fluentd forward protocol: counted (and acked) by the testkit {@code ForwardServer}. */
  FORWARD,
  /** Newline-delimited JSON over TCP: counted by {@link LineCountServer}. */
  JSON_LINES,
  /** Text lines into an in-process stream that discards them: counted by {@link NullSink}. */
  NULL_STREAM
}
