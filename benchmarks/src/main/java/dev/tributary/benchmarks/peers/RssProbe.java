package dev.tributary.benchmarks.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Peak resident memory of a JVM that sends {@value #EVENTS} events end to end through one subject
 * and shuts it down: the child side of the suite's RSS measure. The server runs in the parent, so
 * only the library's memory (and the JVM's) is in this process; the peak is the kernel's {@code
 * VmHWM}. The suite starts every child with the same {@code -Xmx}.
 *
 * <p>Arguments: subject, host, port, requireAck.
 */
public final class RssProbe {

  static final int EVENTS = 1_000_000;
  /** Buffer room of every subject, as in the end-to-end benchmark. */
  static final int CAPACITY = 2_000_000;

  private RssProbe() {}

  public static void main(String[] args) throws Exception {
    Subjects.Spec spec = Subjects.spec(args[0]);
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    boolean ack = Boolean.parseBoolean(args[3]);
    // an in-process sink has nowhere else to live; it only counts
    Sink local = spec.wire() == Wire.NULL_STREAM ? new NullSink() : null;
    Subject subject = spec.create();
    subject.start(new SubjectConfig(host, port, local == null ? null : local.stream(), ack, CAPACITY,
        SubjectConfig.MAX_BLOCK));
    SuiteRecord.nameCurrentThread(1);
    long t0 = System.nanoTime();
    for (int i = 0; i < EVENTS; i++) {
      subject.emit();
    }
    subject.flush();
    subject.close();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subject", spec.name());
    r.put("requireAck", ack);
    r.put("events", EVENTS);
    r.put("sendAndCloseMs", ms);
    r.put("vmHwmKb", status("VmHWM"));
    r.put("vmRssKb", status("VmRSS"));
    r.put("dropped", subject.dropped());
    r.put("thrown", subject.thrown());
    if (local != null) {
      r.put("localReceived", local.received());
    }
    ChildJvm.printResult(r);
    System.exit(0);
  }

  /** A {@code kB} field of /proc/self/status, or -1 where there is none (not Linux). */
  static long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
