package dev.tributary.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StackTracesTest {

  private static String jdk(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString().replace(System.lineSeparator(), "\n").stripTrailing();
  }

  private static Throwable nested() {
    try {
      try {
        throw new IOException("disk full");
      } catch (IOException e) {
        IllegalStateException outer = new IllegalStateException("save failed", e);
        outer.addSuppressed(new IllegalArgumentException("cleanup failed", new RuntimeException("inner")));
        throw outer;
      }
    } catch (IllegalStateException e) {
      return e;
    }
  }

  @Test
  void matchesThePrintStackTraceLayoutWithCausesSuppressedAndCommonFrames() {
    Throwable t = nested();
    String trace = StackTraces.format(t, 0, 0);
    assertEquals(jdk(t), trace);
    assertTrue(trace.contains("\nCaused by: java.io.IOException: disk full"), trace);
    assertTrue(trace.contains("\n\tSuppressed: java.lang.IllegalArgumentException: cleanup failed"), trace);
    assertTrue(trace.contains(" more"), trace);
  }

  @Test
  void aCauseCycleIsPrintedOnceAsTheJdkDoes() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertEquals(jdk(a), StackTraces.format(a, 0, 0));
    assertTrue(StackTraces.format(a, 0, 0).contains("[CIRCULAR REFERENCE: java.lang.RuntimeException: a]"));
  }

  @Test
  void depthAndLengthLimitsSayWhatTheyCut() {
    Throwable t = nested();
    String shallow = StackTraces.format(t, 2, 0);
    assertTrue(shallow.contains("frames truncated"), shallow);
    assertTrue(shallow.contains("\nCaused by: java.io.IOException: disk full"), "causes survive a depth limit");
    String brief = StackTraces.format(t, 0, 300);
    assertEquals(300, brief.length());
    assertTrue(brief.endsWith(StackTraces.TRUNCATED), brief);
  }

  @Test
  void aProxyKeepsTheOriginalClassName() {
    ProxyThrowable p = new ProxyThrowable("com.example.RemoteException", "over there",
        new StackTraceElement[] {new StackTraceElement("com.example.Remote", "call", "Remote.java", 7)}, null);
    assertEquals("com.example.RemoteException", StackTraces.className(p));
    assertEquals("com.example.RemoteException: over there\n\tat com.example.Remote.call(Remote.java:7)",
        StackTraces.format(p, 0, 0));
  }
}
