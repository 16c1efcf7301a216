package dev.tributary.benchmarks.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the soak watches in its own JVM: heap after garbage collection, live threads, open file
 * descriptors. Stateless and thread safe; owns nothing.
 */
final class Probes {
  private static final Path FDS = Path.of("/proc/self/fd");

  private Probes() {}

  /**
   * Heap in use after the most recent collection of any collector, in bytes: the memory the
   * program still reaches, without forcing a collection. 0 before the first collection.
   */
  static long heapAfterLastGc() {
    long latestEnd = -1;
    Map<String, MemoryUsage> after = null;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean sun) {
        var info = sun.getLastGcInfo();
        if (info != null && info.getEndTime() > latestEnd) {
          latestEnd = info.getEndTime();
          after = info.getMemoryUsageAfterGc();
        }
      }
    }
    if (after == null) {
      return 0;
    }
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage usage = after.get(pool.getName());
      if (pool.getType() == MemoryType.HEAP && usage != null) {
        used += usage.getUsed();
      }
    }
    return used;
  }

  /**
   * Heap in use after full collections: collects until two results in a row agree within 1 MiB
   * (at most five times), so reference processing and finalization have settled.
   */
  static long heapAfterFullGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    long used = 0;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 1024 * 1024) {
        break;
      }
      previous = used;
    }
    return used;
  }

  /** Live threads of the JVM. */
  static int threadCount() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /** Names of the live threads that start with any of {@code prefixes}, sorted. */
  static List<String> threadsNamed(String... prefixes) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> Stream.of(prefixes).anyMatch(name::startsWith))
        .sorted()
        .toList();
  }

  /** Open file descriptors of this process (Linux), or -1 where {@code /proc} is missing. */
  static int openFds() {
    if (!Files.isDirectory(FDS)) {
      return -1;
    }
    try (Stream<Path> fds = Files.list(FDS)) {
      // the listing's own descriptor is open while it is counted
      return (int) fds.count() - 1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What each open file descriptor points to ({@code socket:[...]}, a path), for a report. */
  static List<String> fdTargets() {
    if (!Files.isDirectory(FDS)) {
      return List.of();
    }
    try (Stream<Path> fds = Files.list(FDS)) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          return "(closed)"; // the listing's own descriptor, gone by now
        }
      }).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What {@code after} holds that {@code before} did not, each socket described by its entry in
   * {@code /proc/net} (protocol, addresses, TCP state) where it has one.
   */
  static List<String> added(List<String> before, List<String> after) {
    List<String> left = new ArrayList<>(after);
    before.forEach(left::remove);
    return left.stream().map(Probes::describe).toList();
  }

  private static final String[] SOCKET_TABLES = {"tcp", "tcp6", "udp", "udp6", "unix"};
  private static final String[] TCP_STATES = {"", "ESTABLISHED", "SYN_SENT", "SYN_RECV",
      "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

  private static String describe(String target) {
    if (!target.startsWith("socket:[")) {
      return target;
    }
    String inode = target.substring("socket:[".length(), target.length() - 1);
    for (String table : SOCKET_TABLES) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/net", table))) {
          String[] f = line.trim().split("\\s+");
          if (table.equals("unix") && f.length >= 7 && f[6].equals(inode)) {
            return target + " unix" + (f.length > 7 ? " " + f[7] : "");
          }
          if (!table.equals("unix") && f.length > 9 && f[9].equals(inode)) {
            int state = Integer.parseInt(f[3], 16);
            return target + " " + table + " " + port(f[1]) + " -> " + port(f[2]) + " "
                + (table.startsWith("tcp") && state < TCP_STATES.length ? TCP_STATES[state] : f[3]);
          }
        }
      } catch (IOException | RuntimeException e) {
        // a table this kernel does not have: look in the next
      }
    }
    return target;
  }

  /** The port of a {@code /proc/net} address ({@code 0100007F:9C40}), in decimal. */
  private static String port(String address) {
    return ":" + Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
