package dev.tributary.benchmarks;

import dev.tributary.benchmarks.peers.SuiteRecord;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A benchmark's calling thread, named for the trial as an application server names its request
 * threads ({@code http-nio-8080-exec-1}, {@code -2}, …), as in the peer suite. The logging adapters
 * put the thread's name in every record; JMH's own worker names are over 70 characters (for example
 * {@code dev.tributary.benchmarks.LogbackAppenderBenchmark.info1Thread-jmh-worker-1}), longer than
 * the string cache takes, so under them each record was some 50 bytes longer than in production and
 * its thread name was encoded character by character on every call. A benchmark method takes this
 * state as a parameter to have its thread named.
 */
@State(Scope.Thread)
public class RequestThread {

  private String before;

  @Setup(Level.Trial)
  public void name(ThreadParams thread) {
    before = SuiteRecord.nameCurrentThread(thread.getThreadIndex() + 1);
  }

  @TearDown(Level.Trial)
  public void restore() {
    Thread.currentThread().setName(before);
  }
}
