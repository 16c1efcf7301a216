package dev.tributary.benchmarks.peers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Close / drain time of {@value #EVENTS} buffered events, for one subject (run by the suite in a
 * child JVM per subject): connect, stop the server from reading, make {@value #EVENTS} calls so
 * they wait in the library's buffer, then let the server read and call the library's close. The
 * drain time runs from that moment until close has returned and every event has arrived; close's
 * own duration and the time of the last arrival are reported too.
 *
 * <p>A library that writes on the caller's thread cannot buffer: its filling call blocks once the
 * socket buffers are full. The runner notes where, lets the server read, and measures the rest.
 * Each subject runs twice in its JVM (by default) and the last run is reported, so that none is
 * measured before its code is compiled.
 *
 * <p>{@code java -cp benchmarks.jar dev.tributary.benchmarks.peers.DrainRunner tributary [events] [rounds]}
 */
public final class DrainRunner {

  static final int EVENTS = 1_000_000;
  /** Buffer room of every subject: the million with room to spare. */
  static final int CAPACITY = 2_000_000;
  /** No progress for this long while filling means the caller is blocked. */
  static final Duration BLOCKED = Duration.ofSeconds(3);

  private DrainRunner() {}

  public static void main(String[] args) throws Exception {
    Subjects.Spec spec = Subjects.spec(args[0]);
    int events = args.length > 1 ? Integer.parseInt(args[1]) : EVENTS;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    boolean ack = spec.acks();
    Map<String, Object> result = null;
    for (int i = 0; i < rounds; i++) {
      result = runOnce(spec, ack, events); // the rounds before the last compile its paths
    }
    result.put("rounds", rounds);
    ChildJvm.printResult(result);
    System.exit(0); // some peers leave non-daemon threads behind
  }

  static Map<String, Object> runOnce(Subjects.Spec spec, boolean ack, int events) throws Exception {
    try (Sink sink = Sink.open(spec.wire(), 0)) {
      Subject subject = spec.create();
      subject.start(SubjectConfig.of(sink, ack, CAPACITY));
      // connect first, so that the fill does not race the first connection
      subject.emit();
      subject.flush();
      sink.awaitReceived(1, Duration.ofSeconds(20), Duration.ofSeconds(20));
      long base = sink.received();
      sink.stall(true);

      long[] filled = new long[1];
      Thread filler = new Thread(() -> {
        for (int i = 0; i < events; i++) {
          subject.emit();
          filled[0] = i + 1; // only this thread writes; the reader tolerates a stale value
        }
      }, SuiteRecord.THREAD);
      long fillStart = System.nanoTime();
      filler.start();
      long blockedAt = -1;
      long last = -1;
      long lastChange = System.nanoTime();
      while (filler.isAlive()) {
        filler.join(10);
        long now = System.nanoTime();
        if (filled[0] != last) {
          last = filled[0];
          lastChange = now;
        } else if (now - lastChange > BLOCKED.toNanos()) {
          blockedAt = last;
          break;
        }
      }
      long fillMs = (System.nanoTime() - fillStart) / 1_000_000;

      long target = base + events;
      long[] allArrived = new long[] {-1};
      long t0 = System.nanoTime();
      Thread watcher = new Thread(() -> {
        long deadline = t0 + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() - deadline < 0) {
          if (sink.received() >= target) {
            allArrived[0] = System.nanoTime();
            return;
          }
          LockSupport.parkNanos(100_000L);
        }
      }, "drain-watcher");
      watcher.setDaemon(true);
      watcher.start();
      sink.stall(false);
      filler.join(); // a blocked caller finishes now that the server reads
      subject.close();
      long closed = System.nanoTime();
      // what had arrived when close returned: an application exits right after, so the rest is lost
      long receivedAtClose = sink.received() - base;
      sink.awaitReceived(target, Duration.ofSeconds(60), Duration.ofSeconds(5));
      watcher.join(1000);

      long received = sink.received() - base;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("subject", spec.name());
      r.put("requireAck", ack);
      r.put("events", events);
      r.put("fillMs", fillMs);
      r.put("callerBlockedAt", blockedAt);
      r.put("closeMs", (closed - t0) / 1e6);
      r.put("lastArrivalMs", allArrived[0] < 0 ? -1 : (allArrived[0] - t0) / 1e6);
      r.put("drainMs", allArrived[0] < 0 ? -1 : (Math.max(allArrived[0], closed) - t0) / 1e6);
      r.put("received", received);
      r.put("receivedAtClose", receivedAtClose);
      r.put("dropped", subject.dropped());
      r.put("thrown", subject.thrown());
      r.put("lost", Math.max(0, events - received - subject.dropped() - subject.thrown()));
      System.out.println(spec.name() + " drain: " + r);
      return r;
    }
  }
}
