package dev.tributary.benchmarks.soak;

import dev.tributary.FailureReason;
import dev.tributary.OverflowPolicy;
import dev.tributary.Tributary;
import dev.tributary.TributaryListener;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.FaultProxy;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The soak: a Tributary instance with acks on and short timeouts, fed by paced threads of
 * sequence-numbered events, delivers through a {@link FaultProxy} to a {@code ForwardServer}
 * while a {@link FaultInjector} breaks the network or the server every few seconds. At the end it
 * stops the faults, drains, closes, and checks that every sequence number arrived, that
 * duplicates stay within {@code resentEvents}, that every event is accounted for with nothing
 * dropped or failed, and that no thread, file descriptor or heap was left behind. Prints a line
 * every 10 seconds and a summary; exits 0 only if every check passed.
 *
 * <pre>
 * benchmarks/soak.sh MINUTES [--seed N] [--threads 4] [--rate 30000] [--only partition,deny-keepalive]
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.tributary.benchmarks.soak.Soak 10 --seed 42
 * </pre>
 *
 * <p>Everything runs in this JVM and is closed before the checks; the run owns every thread it
 * starts.
 */
public final class Soak {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
  private static final long DRAIN_EVERY_MILLIS = 200;
  /** Threads of Tributary, the testkit's proxy, the servers: none may outlive the run. */
  private static final String[] OWN_THREADS = {"tributary-", "forward-server-", "soak-"};
  /** The JVM may start a helper thread of its own on the way (none of the names above). */
  static final int THREAD_MARGIN = 2;
  /**
   * The JDK opens a few descriptors once and keeps them: NIO's pre-close socket (an unnamed unix
   * socket, made when the first socket is used), /dev/random.
   */
  static final int FD_MARGIN = 4;
  /** The receipts' bits grow with the events (about 1 MiB per 8 million) and class metadata. */
  static final long HEAP_MARGIN = 16L * 1024 * 1024;

  private final Options options;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();

  private Soak(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: Soak MINUTES [--seed N] [--threads N] [--rate EVENTS_PER_SECOND]"
          + " [--only FAULT,...]");
      System.exit(2);
      return;
    }
    boolean passed = new Soak(options, System.out).run();
    System.out.flush();
    System.exit(passed ? 0 : 1);
  }

  /** Runs the soak; true if every check passed. */
  boolean run() throws InterruptedException {
    out.printf("Soak: %s minutes, %d threads, %,d events/s, seed %d (replay: --seed %d)%s%n",
        options.minutesText(), options.threads, options.rate, options.seed, options.seed,
        options.faults.size() == FaultInjector.Kind.values().length ? ""
            : ", faults: " + options.faults.stream().map(FaultInjector.Kind::option).toList());
    List<String> startFds = Probes.fdTargets();
    Sample start = new Sample(Probes.threadCount(), Probes.openFds(), Probes.heapAfterFullGc());
    // Everything of the run is unreachable once soak() returns, so the heap measured now shows
    // what the run left behind.
    Outcome o = soak();
    Sample finish = new Sample(Probes.threadCount(), Probes.openFds(), Probes.heapAfterFullGc());
    List<String> leftThreads = Probes.threadsNamed(OWN_THREADS);
    TributaryMetrics m = o.metrics;

    Verdict verdict = new Verdict();
    verdict.check("every sequence number arrived", o.missing == 0,
        String.format("%,d missing of %,d", o.missing, o.emitted));
    verdict.check("nothing arrived that was not emitted", o.beyond == 0 && o.foreign == 0,
        String.format("%,d unknown sequence numbers, %,d foreign events %s", o.beyond, o.foreign,
            o.foreignExamples));
    verdict.check("duplicates <= resentEvents", o.duplicates <= m.resentEvents(),
        String.format("%,d duplicates, %,d resent", o.duplicates, m.resentEvents()));
    verdict.check("every received event checked", o.checked == o.serverEvents,
        String.format("%,d received by the servers, %,d checked", o.serverEvents, o.checked));
    verdict.check("emitted = delivered + dropped + failed",
        m.emitted() == m.delivered() + m.droppedTotal() + m.failedTotal()
            && m.emitted() == o.emitted && m.bufferedEvents() == 0 && m.inFlightEvents() == 0,
        String.format("%,d = %,d + %,d + %,d (emitters: %,d; buffered %,d, in flight %,d)",
            m.emitted(), m.delivered(), m.droppedTotal(), m.failedTotal(), o.emitted,
            m.bufferedEvents(), m.inFlightEvents()));
    verdict.check("nothing dropped or failed", m.droppedTotal() == 0 && m.failedTotal() == 0
            && o.undelivered == 0 && o.chunksFailed == 0,
        String.format("dropped %s, failed %s, undelivered at close %d", m.dropped(), m.failed(),
            o.undelivered));
    verdict.check("no thread left", leftThreads.isEmpty()
            && finish.threads <= start.threads + THREAD_MARGIN,
        String.format("%d threads at start, %d at the end%s", start.threads, finish.threads,
            leftThreads.isEmpty() ? "" : ", left: " + leftThreads));
    List<String> newFds = Probes.added(startFds, Probes.fdTargets());
    verdict.check("no file descriptor left", finish.fds <= start.fds + FD_MARGIN,
        String.format("%d at start, %d at the end (margin %d)%s", start.fds, finish.fds, FD_MARGIN,
            newFds.isEmpty() ? "" : "; new: " + newFds));
    verdict.check("heap flat", finish.heap <= o.warmHeap + HEAP_MARGIN,
        String.format("%s after warm-up, %s at the end (margin %s)", Probes.mib(o.warmHeap),
            Probes.mib(finish.heap), Probes.mib(HEAP_MARGIN)));

    out.println();
    out.printf("Soak %s: %s minutes, seed %d%n", verdict.passed() ? "PASSED" : "FAILED",
        options.minutesText(), options.seed);
    Table table = new Table();
    table.row("events emitted", String.format("%,d (%d threads, %,d/s)", o.emitted,
        options.threads, options.rate));
    table.row("events delivered", String.format("%,d", m.delivered()));
    table.row("received by the servers", String.format("%,d (%,d duplicates)", o.serverEvents,
        o.duplicates));
    table.row("resentEvents", String.format("%,d (retries %,d)", m.resentEvents(), m.retries()));
    table.row("lost", String.format("%,d", o.missing));
    table.row("dropped / failed", String.format("%,d / %,d", m.droppedTotal(), m.failedTotal()));
    table.row("faults", String.format("%d", o.faults.values().stream().mapToInt(i -> i).sum()));
    for (Map.Entry<FaultInjector.Kind, Integer> e : o.faults.entrySet()) {
      table.row("  " + e.getKey().label, String.valueOf(e.getValue()));
    }
    table.row("connections", String.format(
        "%,d through the proxy, %,d reached %d servers; %,d connection failures reported",
        o.proxyConnections, o.serverConnections, o.serversStarted, o.connectionFailures));
    table.row("requests refused by size", String.format("%,d dropped, %,d connections reset",
        o.droppedOversize, o.oversizeResets));
    table.row("drain after the faults", String.format("%.1f s", o.drainSeconds));
    table.row("close", String.format("%d ms, %d undelivered", o.closeMillis, o.undelivered));
    table.row("threads", String.format("%d at start, %d at the end", start.threads, finish.threads));
    table.row("open fds", String.format("%d at start, %d at the end%s", start.fds, finish.fds,
        newFds.isEmpty() ? "" : " (new: " + String.join(", ", newFds) + ")"));
    table.row("heap after full GC", String.format("%s at start, %s after warm-up, %s at the end",
        Probes.mib(start.heap), Probes.mib(o.warmHeap), Probes.mib(finish.heap)));
    table.print(out);
    out.println();
    verdict.print(out);
    return verdict.passed();
  }

  /** The run itself, from the first server to the last close; returns only numbers. */
  private Outcome soak() throws InterruptedException {
    Outcome o = new Outcome();
    Receipts receipts = new Receipts(options.threads);
    Servers servers = new Servers();
    FaultProxy proxy = FaultProxy.start(servers.current());
    Failures failures = new Failures(out, startNanos);
    Tributary tributary = Tributary.builder()
        .name("soak")
        .server(proxy.host(), proxy.port())
        .requireAck(true)
        .ackTimeout(Duration.ofSeconds(2))
        .writeTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(1))
        .retryInitialBackoff(Duration.ofMillis(50))
        .retryMaxBackoff(Duration.ofSeconds(1))
        .overflowPolicy(OverflowPolicy.BLOCK)
        .maxBlock(Duration.ofSeconds(30))
        .bufferMaxBytes(256L * 1024 * 1024)
        .listener(failures)
        .build();

    List<Emitter> emitters = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < options.threads; i++) {
      Emitter e = new Emitter(i, tributary, (double) options.rate / options.threads);
      emitters.add(e);
      threads.add(start("soak-emitter-" + i, e));
    }
    Drainer drainer = new Drainer(servers, receipts);
    Thread drainerThread = start("soak-drainer", drainer);
    FaultInjector faults = new FaultInjector(options.seed, options.faults, proxy, servers, receipts,
        out, startNanos);
    Progress progress = new Progress(tributary, emitters, receipts, servers, faults);

    long end = startNanos + (long) (options.minutes * 60e9);
    long warmUpEnd = Math.min(end, startNanos + WARM_UP.toNanos());
    progress.until(warmUpEnd, () -> false);
    o.warmHeap = Probes.heapAfterFullGc();
    out.printf("[%6.1fs] warmed up: heap after full GC %s, %d threads, %d fds; faults begin%n",
        seconds(), Probes.mib(o.warmHeap), Probes.threadCount(), Probes.openFds());
    Thread faultThread = start("soak-faults", faults);
    progress.until(end, () -> false);

    out.printf("[%6.1fs] stopping faults and emitters, draining%n", seconds());
    faults.stop();
    faultThread.join();
    faults.clearAll();
    emitters.forEach(Emitter::stop);
    for (Thread t : threads) {
      t.join();
    }
    tributary.flush();
    long drainStarted = System.nanoTime();
    boolean settled = progress.until(drainStarted + DRAIN_TIMEOUT.toNanos(),
        () -> settled(tributary.metrics()));
    o.drainSeconds = (System.nanoTime() - drainStarted) / 1e9;
    if (!settled) {
      out.printf("[%6.1fs] NOT SETTLED after %s: %s%n", seconds(), DRAIN_TIMEOUT, tributary.metrics());
      dumpThreads("tributary-");
    }
    long closeStarted = System.nanoTime();
    o.undelivered = tributary.close(CLOSE_TIMEOUT);
    o.closeMillis = (System.nanoTime() - closeStarted) / 1_000_000;
    o.metrics = tributary.metrics();
    drainer.stop();
    drainerThread.join();
    o.proxyConnections = proxy.connectionCount();
    proxy.close();
    servers.close();
    servers.drainInto(receipts);

    for (Emitter e : emitters) {
      long emitted = e.emitted();
      long lost = receipts.missing(e.index(), emitted);
      o.emitted += emitted;
      o.missing += lost;
      o.beyond += receipts.beyond(e.index(), emitted);
      if (lost > 0) {
        out.printf("thread %d: %,d of %,d sequence numbers missing, the first: %s%n", e.index(),
            lost, emitted, receipts.firstMissing(e.index(), emitted, 10));
      }
    }
    o.duplicates = receipts.duplicates();
    o.foreign = receipts.foreign();
    o.foreignExamples = receipts.foreignExamples();
    o.checked = receipts.received();
    o.serverEvents = servers.events();
    o.serverConnections = servers.connections();
    o.serversStarted = servers.started();
    o.droppedOversize = servers.droppedOversize();
    o.oversizeResets = servers.oversizeResets();
    o.faults = faults.counts();
    o.connectionFailures = failures.connectionFailures();
    o.chunksFailed = failures.chunksFailed();
    return o;
  }

  private static boolean settled(TributaryMetrics m) {
    return m.emitted() == m.delivered() + m.droppedTotal() + m.failedTotal();
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void dumpThreads(String prefix) {
    Thread.getAllStackTraces().forEach((t, stack) -> {
      if (t.getName().startsWith(prefix)) {
        out.println("\"" + t.getName() + "\" " + t.getState());
        for (StackTraceElement e : stack) {
          out.println("    at " + e);
        }
      }
    });
  }

  private static Thread start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Threads, file descriptors and heap at one moment. */
  private record Sample(int threads, int fds, long heap) {}

  /** What a run measured: numbers only, nothing that keeps the run's objects reachable. */
  private static final class Outcome {
    long warmHeap;
    long emitted;
    long missing;
    long beyond;
    long foreign;
    List<String> foreignExamples = List.of();
    long duplicates;
    long checked;
    long serverEvents;
    TributaryMetrics metrics;
    long undelivered;
    double drainSeconds;
    long closeMillis;
    long proxyConnections;
    long serverConnections;
    int serversStarted;
    long droppedOversize;
    long oversizeResets;
    Map<FaultInjector.Kind, Integer> faults = Map.of();
    long connectionFailures;
    long chunksFailed;
  }

  /** Prints a progress line every 10 seconds while it waits. */
  private final class Progress {
    private final Tributary tributary;
    private final List<Emitter> emitters;
    private final Receipts receipts;
    private final Servers servers;
    private final FaultInjector faults;
    private long nextLine = startNanos + PROGRESS_EVERY.toNanos();

    Progress(Tributary tributary, List<Emitter> emitters, Receipts receipts, Servers servers,
        FaultInjector faults) {
      this.tributary = tributary;
      this.emitters = emitters;
      this.receipts = receipts;
      this.servers = servers;
      this.faults = faults;
    }

    /** Waits until {@code deadline} or until {@code done}; true if done. */
    boolean until(long deadline, BooleanSupplier done) throws InterruptedException {
      while (true) {
        if (done.getAsBoolean()) {
          return true;
        }
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          return false;
        }
        if (now - nextLine >= 0) {
          line();
          nextLine += PROGRESS_EVERY.toNanos();
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(Math.min(deadline, nextLine) - now, 100_000_000L));
      }
    }

    private void line() {
      TributaryMetrics m = tributary.metrics();
      long emitted = emitters.stream().mapToLong(Emitter::emitted).sum();
      out.printf("[%6.1fs] emitted %,d  delivered %,d  resent %,d  buffered %,d  in flight %,d"
              + "  | received %,d (dup %,d)  | faults %d (now: %s)  | heap after GC %s  threads %d"
              + "  fds %d%n",
          seconds(), emitted, m.delivered(), m.resentEvents(), m.bufferedEvents(),
          m.inFlightEvents(), servers.events(), receipts.duplicates(), faults.total(),
          faults.current(), Probes.mib(Probes.heapAfterLastGc()), Probes.threadCount(),
          Probes.openFds());
    }
  }

  /** Moves what the servers received into the receipts, every 200 ms. */
  private static final class Drainer implements Runnable {
    private final Servers servers;
    private final Receipts receipts;
    private volatile boolean stopped;

    Drainer(Servers servers, Receipts receipts) {
      this.servers = servers;
      this.receipts = receipts;
    }

    @Override
    public void run() {
      while (!stopped) {
        servers.drainInto(receipts);
        try {
          Thread.sleep(DRAIN_EVERY_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() {
      stopped = true;
    }
  }

  /** Counts connection failures and prints every failed chunk and loss summary: none should come. */
  private static final class Failures implements TributaryListener {
    private final PrintStream out;
    private final long startNanos;
    private final AtomicLong connectionFailures = new AtomicLong();
    private final AtomicLong chunksFailed = new AtomicLong();

    Failures(PrintStream out, long startNanos) {
      this.out = out;
      this.startNanos = startNanos;
    }

    @Override
    public void onConnectionFailure(String server, Throwable cause) {
      connectionFailures.incrementAndGet();
    }

    @Override
    public void onChunkFailed(String tag, int events, FailureReason reason, Throwable cause) {
      chunksFailed.incrementAndGet();
      out.printf("[%6.1fs] CHUNK FAILED: %s, %d events, %s: %s%n",
          (System.nanoTime() - startNanos) / 1e9, tag, events, reason, cause);
    }

    @Override
    public void onSummary(Map<dev.tributary.DropReason, Long> dropped,
        Map<FailureReason, Long> failed) {
      out.printf("[%6.1fs] LOSS: dropped %s, failed %s%n", (System.nanoTime() - startNanos) / 1e9,
          dropped, failed);
    }

    long connectionFailures() {
      return connectionFailures.get();
    }

    long chunksFailed() {
      return chunksFailed.get();
    }
  }

  /** The checks and whether each passed. */
  private static final class Verdict {
    private final List<String> lines = new ArrayList<>();
    private boolean passed = true;

    void check(String what, boolean ok, String detail) {
      passed &= ok;
      lines.add((ok ? "PASS  " : "FAIL  ") + what + ": " + detail);
    }

    boolean passed() {
      return passed;
    }

    void print(PrintStream out) {
      lines.forEach(out::println);
      out.println(passed ? "PASSED" : "FAILED");
    }
  }

  /** A two-column Markdown table. */
  private static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    void row(String name, String value) {
      rows.add(new String[] {name, value});
    }

    void print(PrintStream out) {
      int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
      out.printf("| %-" + width + "s | %s |%n", "", "");
      out.printf("|%s|%s|%n", "-".repeat(width + 2), "---");
      for (String[] r : rows) {
        out.printf("| %-" + width + "s | %s |%n", r[0], r[1]);
      }
    }
  }

  /** The command line: {@code MINUTES [--seed N] [--threads N] [--rate N] [--only KIND,...]}. */
  record Options(double minutes, long seed, int threads, int rate,
      List<FaultInjector.Kind> faults) {
    static Options parse(String[] args) {
      Double minutes = null;
      long seed = new SecureRandom().nextLong() & Long.MAX_VALUE;
      int threads = 4;
      int rate = 30_000;
      List<FaultInjector.Kind> faults = List.of(FaultInjector.Kind.values());
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
          case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
          case "--rate" -> rate = Integer.parseInt(value(args, ++i, a));
          case "--only" -> faults = Arrays.stream(value(args, ++i, a).split(","))
              .map(String::trim).map(FaultInjector.Kind::ofOption).distinct().toList();
          default -> {
            if (a.startsWith("--") || minutes != null) {
              throw new IllegalArgumentException("unexpected argument: " + a);
            }
            minutes = Double.parseDouble(a);
          }
        }
      }
      if (minutes == null || !(minutes > 0)) {
        throw new IllegalArgumentException("MINUTES must be given and > 0");
      }
      if (threads < 1 || rate < threads) {
        throw new IllegalArgumentException("--threads must be >= 1 and --rate >= threads");
      }
      return new Options(minutes, seed, threads, rate, faults);
    }

    /** The minutes as given: {@code 10}, {@code 0.5}. */
    String minutesText() {
      return minutes == Math.rint(minutes) ? String.valueOf((long) minutes) : String.valueOf(minutes);
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }
  }
}
