package dev.tributary.benchmarks.soak;

import dev.tributary.RecordFormatter;
import dev.tributary.Tributary;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One emitting thread of the soak: events {@code {"thread": i, "seq": n, "msg": ...}} with {@code
 * n} counting from 0 without a gap, under the tag {@code soak.t<i>}, paced to a fixed rate in
 * ticks of 10 ms. A thread held up (a full buffer under {@code BLOCK}) catches up at most one
 * second of events, then takes up the pace from now, so an outage does not end in a burst.
 *
 * <p>{@link #run()} runs on one thread; {@link #stop()} and {@link #emitted()} may be called from
 * any other. Owns nothing; the {@link Tributary} is the caller's.
 */
final class Emitter implements Runnable {
  static final String TAG_PREFIX = "soak.t";

  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_BEHIND_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Messages of 16 to 240 characters, so events vary in size and all stay under 300 bytes. */
  private static final String[] MESSAGES = messages(16, 240, 8);
  private static final RecordFormatter<Emitter> RECORD = (e, out) -> out
      .field("thread", e.index)
      .field("seq", e.seq)
      .field("msg", MESSAGES[(int) (e.seq % MESSAGES.length)]);

  private final int index;
  private final String tag;
  private final Tributary tributary;
  private final double eventsPerTick;
  private volatile boolean stopped;
  private volatile long emitted; // written by the emitting thread only
  private long seq;

  Emitter(int index, Tributary tributary, double eventsPerSecond) {
    this.index = index;
    this.tag = TAG_PREFIX + index;
    this.tributary = tributary;
    this.eventsPerTick = eventsPerSecond * TICK_NANOS / 1e9;
  }

  @Override
  public void run() {
    long next = System.nanoTime();
    double owed = 0;
    while (!stopped) {
      owed += eventsPerTick;
      for (; owed >= 1 && !stopped; owed--) {
        long millis = System.currentTimeMillis();
        tributary.emit(tag, millis / 1000, (int) (millis % 1000) * 1_000_000, this, RECORD);
        seq++;
        emitted = seq;
      }
      next += TICK_NANOS;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else if (wait < -MAX_BEHIND_NANOS) {
        next = System.nanoTime();
      }
    }
  }

  void stop() {
    stopped = true;
  }

  int index() {
    return index;
  }

  /** Events emitted so far: sequence numbers 0 to {@code emitted() - 1}. */
  long emitted() {
    return emitted;
  }

  private static String[] messages(int shortest, int longest, int count) {
    String[] m = new String[count];
    String alphabet = "the quick brown fox jumps over the lazy dog 0123456789 ";
    for (int i = 0; i < count; i++) {
      int length = shortest + (longest - shortest) * i / (count - 1);
      StringBuilder b = new StringBuilder(length);
      while (b.length() < length) {
        b.append(alphabet.charAt(b.length() % alphabet.length()));
      }
      m[i] = b.toString();
    }
    return m;
  }
}
