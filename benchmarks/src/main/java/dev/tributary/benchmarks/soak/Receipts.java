package dev.tributary.benchmarks.soak;

import dev.tributary.testkit.ReceivedEvent;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which (thread, sequence number) pairs arrived, over every server of the run, in one bit per
 * pair: the soak keeps no event. A pair seen again is a duplicate; an event that is not one of
 * the soak's is counted as foreign (with its first few descriptions kept).
 *
 * <p>Thread safe: every method is synchronized. Owns nothing.
 */
final class Receipts {
  private static final int FOREIGN_KEPT = 5;

  private final BitSet[] seen;
  private final List<String> foreignExamples = new ArrayList<>();
  private long received;
  private long duplicates;
  private long foreign;

  Receipts(int threads) {
    seen = new BitSet[threads];
    for (int i = 0; i < threads; i++) {
      seen[i] = new BitSet();
    }
  }

  synchronized void record(List<ReceivedEvent> events) {
    for (ReceivedEvent e : events) {
      received++;
      int thread = threadOf(e);
      Object seq = thread < 0 ? null : e.get("seq");
      if (!(seq instanceof Long) || (Long) seq < 0 || (Long) seq > Integer.MAX_VALUE
          || !Long.valueOf(thread).equals(e.get("thread"))) {
        foreign++;
        if (foreignExamples.size() < FOREIGN_KEPT) {
          foreignExamples.add(e.toString());
        }
        continue;
      }
      int n = (int) (long) (Long) seq;
      if (seen[thread].get(n)) {
        duplicates++;
      } else {
        seen[thread].set(n);
      }
    }
  }

  synchronized long received() {
    return received;
  }

  synchronized long duplicates() {
    return duplicates;
  }

  synchronized long foreign() {
    return foreign;
  }

  synchronized List<String> foreignExamples() {
    return List.copyOf(foreignExamples);
  }

  /** Distinct pairs of {@code thread} seen. */
  synchronized long distinct(int thread) {
    return seen[thread].cardinality();
  }

  /** How many of {@code thread}'s sequence numbers 0 to {@code emitted - 1} never arrived. */
  synchronized long missing(int thread, long emitted) {
    return emitted - seen[thread].get(0, (int) emitted).cardinality();
  }

  /** Up to {@code max} sequence numbers of {@code thread} below {@code emitted} that never arrived. */
  synchronized List<Long> firstMissing(int thread, long emitted, int max) {
    List<Long> missing = new ArrayList<>();
    for (int n = seen[thread].nextClearBit(0); n < emitted && missing.size() < max;
        n = seen[thread].nextClearBit(n + 1)) {
      missing.add((long) n);
    }
    return missing;
  }

  /** Sequence numbers of {@code thread} at or above {@code emitted} that arrived: never emitted. */
  synchronized long beyond(int thread, long emitted) {
    return seen[thread].get((int) emitted, Math.max((int) emitted, seen[thread].length())).cardinality();
  }

  private int threadOf(ReceivedEvent e) {
    String tag = e.tag();
    if (!tag.startsWith(Emitter.TAG_PREFIX)) {
      return -1;
    }
    try {
      int thread = Integer.parseInt(tag.substring(Emitter.TAG_PREFIX.length()));
      return thread >= 0 && thread < seen.length ? thread : -1;
    } catch (NumberFormatException ex) {
      return -1;
    }
  }
}
