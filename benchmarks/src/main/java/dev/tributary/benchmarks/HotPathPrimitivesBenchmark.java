package dev.tributary.benchmarks;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the pieces of an {@code emit} that no encoder change touches cost on the machine at hand,
 * without Tributary: reading the wall clock and the monotonic clock, the three atomic instructions
 * of the append path (taking the thread's encoder from its pool slot, the stripe lock's acquire
 * and release; the encoder goes back with a plain store), and copying a 200-byte event into a page
 * that is filled front to back as a chunk is. A {@code ReentrantLock} stands in for the stripe's
 * lock word: uncontended, both take the lock with a compare-and-set and release it with a volatile
 * store. The page is 1 MiB (a chunk, within the core's L2 cache) or 16 MiB (beyond it, as the
 * chunks waiting in a buffer are). One thread, nothing contended: the lowest these can cost. A
 * design that removed the atomics would gain at most the difference between {@code copy200} and
 * {@code borrowLockCopy200}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar 'benchmarks\.HotPathPrimitivesBenchmark'
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class HotPathPrimitivesBenchmark {

  /** The page the events are copied into, in MiB. */
  @Param({"1", "16"})
  public int pageMiB;

  private static final int EVENT_BYTES = 200;
  private static final int SLOT = 8;

  private final Clock clock = Clock.systemUTC();
  private final AtomicReferenceArray<Object> slots = new AtomicReferenceArray<>(16);
  private final ReentrantLock lock = new ReentrantLock();
  private final byte[] event = new byte[EVENT_BYTES];
  private byte[] page;
  private int position;

  @Setup
  public void setUp() {
    page = new byte[pageMiB << 20];
    for (int i = 0; i < EVENT_BYTES; i++) {
      event[i] = (byte) i;
    }
    slots.set(SLOT, new Object());
  }

  private void copy() {
    int at = position;
    if (at + EVENT_BYTES > page.length) {
      at = 0;
    }
    System.arraycopy(event, 0, page, at, EVENT_BYTES);
    position = at + EVENT_BYTES;
  }

  /** {@code Clock.systemUTC().instant()}: the default clock of {@code emit(tag, map)}. */
  @Benchmark
  public long wallClock() {
    Instant now = clock.instant();
    return now.getEpochSecond() + now.getNano();
  }

  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }

  /** The three atomic instructions alone. */
  @Benchmark
  public int borrowLock() {
    Object encoder = slots.getAndSet(SLOT, null);
    lock.lock();
    try {
      position++;
    } finally {
      lock.unlock();
    }
    slots.lazySet(SLOT, encoder);
    return position;
  }

  /** The copy into the page alone. */
  @Benchmark
  public int copy200() {
    copy();
    return position;
  }

  /** The copy with the three atomic instructions around it, as the append path does it. */
  @Benchmark
  public int borrowLockCopy200() {
    Object encoder = slots.getAndSet(SLOT, null);
    lock.lock();
    try {
      copy();
    } finally {
      lock.unlock();
    }
    slots.lazySet(SLOT, encoder);
    return position;
  }
}
