package dev.tributary.benchmarks.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server that accepts but never reads, for one subject (run by the suite in a child JVM per
 * subject): what do the callers go through, and what happens to their events?
 *
 * <p>The server has a 4 KiB receive buffer and stops reading once the subject is connected.
 * {@value #THREADS} threads then call {@code emit} for {@link #WINDOW}, timing every call. At the
 * end of the window the server reads again (which frees a caller blocked in a socket write), the
 * library is closed, and what arrived is counted. Reported: calls, the slowest call, calls slower
 * than Tributary's bound ({@code maxBlock} + 5 ms), whether a caller was still blocked when the
 * window ended, and the outcome of every call: delivered later, dropped (by the library's own
 * count), thrown at the caller, or unaccounted.
 *
 * <p>Every library gets a buffer of {@value #CAPACITY} events (64 MiB for byte budgets: Tributary's
 * default), so that it fills within the window.
 *
 * <p>{@code java -cp benchmarks.jar dev.tributary.benchmarks.peers.StalledRunner tributary}
 */
public final class StalledRunner {

  static final int THREADS = 2;
  static final Duration WINDOW = Duration.ofSeconds(3);
  static final int CAPACITY = SubjectConfig.BUDGET_EVENTS;
  static final int RECEIVE_BUFFER = 4096;

  private StalledRunner() {}

  /** One calling thread's record. */
  private static final class Caller extends Thread {
    final Subject subject;
    final long deadline;
    final long boundNanos;
    long calls;
    long slowest;
    long overBound;
    long overMilli;
    volatile long inCallSince; // 0 when not in a call

    Caller(Subject subject, long deadline, long boundNanos, int i) {
      super(SuiteRecord.requestThreadName(i + 1));
      this.subject = subject;
      this.deadline = deadline;
      this.boundNanos = boundNanos;
    }

    @Override
    public void run() {
      while (true) {
        long t = System.nanoTime();
        if (t - deadline >= 0) {
          return;
        }
        inCallSince = t;
        subject.emit();
        long d = System.nanoTime() - t;
        inCallSince = 0;
        calls++;
        if (d > slowest) {
          slowest = d;
        }
        if (d > 1_000_000L) {
          overMilli++;
        }
        if (d > boundNanos) {
          overBound++;
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Subjects.Spec spec = Subjects.spec(args[0]);
    ChildJvm.printResult(run(spec, spec.acks()));
    System.exit(0); // some peers leave non-daemon threads behind
  }

  static Map<String, Object> run(Subjects.Spec spec, boolean ack) throws Exception {
    try (Sink sink = Sink.open(spec.wire(), RECEIVE_BUFFER)) {
      SubjectConfig config = SubjectConfig.of(sink, ack, CAPACITY);
      Subject subject = spec.create();
      subject.start(config);
      subject.emit();
      subject.flush();
      sink.awaitReceived(1, Duration.ofSeconds(20), Duration.ofSeconds(20));
      long base = sink.received();
      sink.stall(true);

      long boundNanos = config.maxBlock().plusMillis(5).toNanos();
      long deadline = System.nanoTime() + WINDOW.toNanos();
      List<Caller> callers = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        callers.add(new Caller(subject, deadline, boundNanos, i));
      }
      callers.forEach(Thread::start);
      Thread.sleep(WINDOW.toMillis() + 300);
      int blockedAtEnd = 0;
      long now = System.nanoTime();
      for (Caller c : callers) {
        long since = c.inCallSince;
        if (c.isAlive() && since != 0 && now - since > 200_000_000L) {
          blockedAtEnd++;
        }
      }
      long t0 = System.nanoTime();
      sink.stall(false);
      for (Caller c : callers) {
        c.join(120_000);
      }
      long unblockedMs = (System.nanoTime() - t0) / 1_000_000;
      long closeStart = System.nanoTime();
      subject.close();
      long closeMs = (System.nanoTime() - closeStart) / 1_000_000;

      long calls = 0;
      long slowest = 0;
      long overBound = 0;
      long overMilli = 0;
      for (Caller c : callers) {
        calls += c.calls;
        slowest = Math.max(slowest, c.slowest);
        overBound += c.overBound;
        overMilli += c.overMilli;
      }
      long target = base + calls - subject.dropped() - subject.thrown();
      long received = sink.awaitReceived(target, Duration.ofSeconds(60), Duration.ofSeconds(5)) - base;

      Map<String, Object> r = new LinkedHashMap<>();
      r.put("subject", spec.name());
      r.put("requireAck", ack);
      r.put("threads", THREADS);
      r.put("windowMs", WINDOW.toMillis());
      r.put("boundMs", boundNanos / 1e6);
      r.put("calls", calls);
      r.put("slowestMs", slowest / 1e6);
      r.put("callsOver1ms", overMilli);
      r.put("callsOverBound", overBound);
      r.put("blockedAtWindowEnd", blockedAtEnd);
      r.put("unblockedAfterMs", unblockedMs);
      r.put("delivered", received);
      r.put("dropped", subject.dropped());
      r.put("thrown", subject.thrown());
      r.put("thrownType", subject.thrownType());
      r.put("unaccounted", calls - received - subject.dropped() - subject.thrown());
      r.put("closeMs", closeMs);
      System.out.println(spec.name() + " stalled: " + r);
      return r;
    }
  }
}
