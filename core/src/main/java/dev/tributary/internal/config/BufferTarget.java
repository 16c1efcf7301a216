package dev.tributary.internal.config;

import dev.tributary.OverflowPolicy;
import dev.tributary.Outputs;
import dev.tributary.Tributary;
import java.time.Duration;

/**
 * Where a {@code <buffer>} section's settings go: the builder, for the one output an instance has
 * when the file declares no other, or one output's spec.
 */
interface BufferTarget {

  void bufferMaxBytes(long n);

  void chunkMaxBytes(int n);

  void chunkMaxRecords(int n);

  void flushInterval(Duration d);

  void overflowPolicy(OverflowPolicy p);

  void retryMaxAttempts(int n);

  void retryTimeout(Duration d);

  static BufferTarget of(Tributary.Builder b) {
    return new BufferTarget() {
      public void bufferMaxBytes(long n) { b.bufferMaxBytes(n); }
      public void chunkMaxBytes(int n) { b.chunkMaxBytes(n); }
      public void chunkMaxRecords(int n) { b.chunkMaxRecords(n); }
      public void flushInterval(Duration d) { b.flushInterval(d); }
      public void overflowPolicy(OverflowPolicy p) { b.overflowPolicy(p); }
      public void retryMaxAttempts(int n) { b.retryMaxAttempts(n); }
      public void retryTimeout(Duration d) { b.retryTimeout(d); }
    };
  }

  static BufferTarget of(Outputs.Spec<?> s) {
    return new BufferTarget() {
      public void bufferMaxBytes(long n) { s.bufferMaxBytes(n); }
      public void chunkMaxBytes(int n) { s.chunkMaxBytes(n); }
      public void chunkMaxRecords(int n) { s.chunkMaxRecords(n); }
      public void flushInterval(Duration d) { s.flushInterval(d); }
      public void overflowPolicy(OverflowPolicy p) { s.overflowPolicy(p); }
      public void retryMaxAttempts(int n) { s.retryMaxAttempts(n); }
      public void retryTimeout(Duration d) { s.retryTimeout(d); }
    };
  }
}
