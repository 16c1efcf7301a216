package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.Await;
import dev.tributary.testkit.Fault;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What neither the application nor the environment may do to the pipeline: a listener that
 * throws, an interrupt, values whose {@code toString()} fails or logs, huge values, a socket that
 * throws the unexpected, close while callers wait.
 */
class RobustnessTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @AfterEach
  void noThreadsLeft() {
    Await.noTributaryThreads();
  }

  private static Tributary.Builder client(ForwardServer server) {
    return Tributary.builder().server("127.0.0.1", server.port())
        .retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(100))
        .flushInterval(Duration.ofMillis(20));
  }

  /** A listener that fails on every call, with an exception or an error. */
  private static final class ThrowingListener implements TributaryListener {
    final AtomicInteger calls = new AtomicInteger();

    private void fail() {
      if (calls.incrementAndGet() % 2 == 0) {
        throw new AssertionError("listener error");
      }
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onSummary(Map<DropReason, Long> dropped, Map<FailureReason, Long> failed) {
      fail();
    }

    @Override
    public void onConnectionFailure(String server, Throwable cause) {
      fail();
    }

    @Override
    public void onChunkFailed(String tag, int events, FailureReason reason, Throwable cause) {
      fail();
    }
  }

  @Test
  void aListenerThatThrowsNeitherWedgesDeliveryNorStopsFailover() {
    ThrowingListener listener = new ThrowingListener();
    try (ForwardServer down = ForwardServer.start(); ForwardServer up = ForwardServer.start()) {
      down.refuseConnections(true);
      try (Tributary t = Tributary.builder().server("127.0.0.1", down.port()).server("127.0.0.1", up.port())
          .retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(50))
          .reportInterval(Duration.ofMillis(50)).listener(listener).build()) {
        for (int i = 0; i < 100; i++) {
          t.emit("robust", Map.of("seq", i));
        }
        t.flush();
        up.awaitEvents(100, WAIT);
        Await.until("all delivered", WAIT, () -> t.metrics().delivered() == 100);
        assertTrue(listener.calls.get() > 0, "the listener was called and threw");
        assertEquals(0, t.close(WAIT));
        Accounting.assertSettled(t.metrics());
      }
    }
  }

  @Test
  void anInterruptOfTheFlusherThreadDoesNotEndDelivery() {
    try (ForwardServer server = ForwardServer.start(); Tributary t = client(server).name("interrupted").build()) {
      t.emit("robust", Map.of("seq", 0));
      server.awaitEvents(1, WAIT);
      Thread flusher = Thread.getAllStackTraces().keySet().stream()
          .filter(th -> th.getName().equals("tributary-flusher-interrupted")).findFirst().orElseThrow();
      for (int i = 0; i < 3; i++) {
        flusher.interrupt();
        t.emit("robust", Map.of("seq", i + 1));
        int n = i + 2;
        Await.until(n + " delivered", WAIT, () -> t.metrics().delivered() == n);
      }
      assertTrue(flusher.isAlive());
    }
  }

  @Test
  void closeFromAnInterruptedThreadStillDrainsAndKeepsTheFlag() {
    try (ForwardServer server = ForwardServer.start()) {
      server.ackDelay(Duration.ofMillis(300));
      Tributary t = client(server).build();
      for (int i = 0; i < 1000; i++) {
        t.emit("robust", Map.of("seq", i));
      }
      Thread.currentThread().interrupt();
      long undelivered = t.close(WAIT);
      assertTrue(Thread.interrupted(), "the interrupt flag is restored");
      assertEquals(0, undelivered);
      assertEquals(1000, t.metrics().delivered());
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void anErrorFromToStringIsCountedAsInvalidAndNotThrown() {
    Object bad = new Object() {
      @Override
      public String toString() {
        throw new AssertionError("toString broke");
      }
    };
    try (ForwardServer server = ForwardServer.start(); Tributary t = client(server).build()) {
      t.emit("robust", Map.of("bad", bad));
      t.emit("robust", Map.of("good", 1));
      assertEquals(1, server.awaitEvents(1, WAIT).size());
      assertEquals(1, t.metrics().dropped(DropReason.INVALID));
      assertEquals(0, t.close(WAIT));
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void aVirtualMachineErrorIsCountedThenRethrown() {
    Object oom = new Object() {
      @Override
      public String toString() {
        throw new OutOfMemoryError("simulated");
      }
    };
    try (ForwardServer server = ForwardServer.start(); Tributary t = client(server).build()) {
      assertThrows(OutOfMemoryError.class, () -> t.emit("robust", Map.of("v", oom)));
      TributaryMetrics m = t.metrics();
      assertEquals(1, m.emitted());
      assertEquals(1, m.dropped(DropReason.INVALID));
      Accounting.assertIdentity(m);
    }
  }

  /** A very long text that counts how many of its characters were read. */
  private static final class CountingText implements CharSequence {
    final AtomicLong reads = new AtomicLong();
    final int length;

    CountingText(int length) {
      this.length = length;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public char charAt(int index) {
      reads.incrementAndGet();
      return 'x';
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String toString() {
      throw new UnsupportedOperationException("not expected: " + length + " characters");
    }
  }

  @Test
  void aHugeValueIsDroppedAsTooLargeWithoutBeingEncoded() {
    CountingText text = new CountingText(300_000_000);
    try (ForwardServer server = ForwardServer.start();
        Tributary t = client(server).maxEventBytes(64 * 1024).build()) {
      t.emit("robust", 1_700_000_000L, 0, text, (src, w) -> w.field("message", src));
      assertEquals(0, text.reads.get(), "not a character was read past the limit");
      t.emit("robust", Map.of("blob", new byte[100_000_000]));
      assertEquals(2, t.metrics().dropped(DropReason.TOO_LARGE));
      t.emit("robust", Map.of("small", "fits"));
      assertEquals("fits", server.awaitEvents(1, WAIT).get(0).get("small"));
      assertEquals(0, t.close(WAIT));
      Accounting.assertSettled(t.metrics());
    }
  }

  @Test
  void anEmitFromInsideToStringGetsItsOwnEncoderAndBothEventsArriveIntact() {
    try (ForwardServer server = ForwardServer.start(); Tributary t = client(server).build()) {
      Object logsWhilePrinted = new Object() {
        @Override
        public String toString() {
          t.emit("robust.inner", Map.of("inner", "yes", "n", 2));
          return "outer value";
        }
      };
      t.emit("robust.outer", Map.of("value", logsWhilePrinted, "n", 1));
      List<ReceivedEvent> events = server.awaitEvents(2, WAIT);
      ReceivedEvent inner = events.stream().filter(e -> e.tag().equals("robust.inner")).findFirst().orElseThrow();
      ReceivedEvent outer = events.stream().filter(e -> e.tag().equals("robust.outer")).findFirst().orElseThrow();
      assertEquals(Map.of("inner", "yes", "n", 2L), inner.record());
      assertEquals(Map.of("value", "outer value", "n", 1L), outer.record());
    }
  }

  @Test
  void closeWakesACallerBlockedForMemoryAtOnce() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      server.refuseConnections(true);
      Tributary t = client(server).bufferMaxBytes(64 * 1024).chunkMaxBytes(32 * 1024)
          .overflowPolicy(OverflowPolicy.BLOCK).maxBlock(Duration.ofMinutes(5))
          .listener(TributaryListener.NONE).build();
      String text = "b".repeat(1000);
      AtomicBoolean returned = new AtomicBoolean();
      Thread caller = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          t.emit("robust", Map.of("text", text));
        }
        returned.set(true);
      }, "blocked-caller");
      caller.start();
      Await.until("the caller to block for memory", WAIT,
          () -> caller.getState() == Thread.State.TIMED_WAITING || returned.get());
      assertFalse(returned.get(), "the budget filled up");
      // close drains for up to 8 s against the dead server; intake stops at once all the same
      Thread closer = new Thread(() -> t.close(Duration.ofSeconds(8)), "closer");
      long start = System.nanoTime();
      closer.start();
      caller.join(Duration.ofSeconds(5).toMillis());
      assertFalse(caller.isAlive(), "close woke the blocked caller without waiting for the drain or maxBlock");
      assertTrue(closer.isAlive(), "still draining when the caller was released");
      closer.join();
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos());
      TributaryMetrics m = t.metrics();
      assertTrue(m.dropped(DropReason.CLOSED) > 0, "the woken call counted as CLOSED: " + m);
      Accounting.assertSettled(m);
    }
  }

  @Test
  void whenAConnectionFailsOnlyItsOldestChunkIsChargedAnAttempt() {
    try (ForwardServer server = ForwardServer.start()) {
      server.enqueueFault(Fault.DROP_AND_CLOSE);
      try (Tributary t = client(server).chunkMaxRecords(1).retryMaxAttempts(1)
          .listener(TributaryListener.NONE).build()) {
        for (int i = 0; i < 5; i++) {
          t.emit("robust", Map.of("seq", i));
        }
        t.flush();
        Await.until("the dropped chunk given up and the rest delivered", WAIT,
            () -> t.metrics().delivered() + t.metrics().failedTotal() == 5);
        TributaryMetrics m = t.metrics();
        assertEquals(1, m.failed(FailureReason.RETRIES_EXHAUSTED), "only the chunk that failed: " + m);
        assertEquals(4, m.delivered());
        t.close(WAIT);
        Accounting.assertSettled(t.metrics());
      }
    }
  }

  /** Sockets whose first write throws an unchecked exception, as a buggy socket layer might. */
  private static final class FaultyFirstWrite extends SocketFactory {
    final AtomicBoolean armed = new AtomicBoolean(true);

    @Override
    public Socket createSocket() {
      return new Socket() {
        private OutputStream out;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
          if (out == null) {
            out = new FilterOutputStream(super.getOutputStream()) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                if (armed.getAndSet(false)) {
                  throw new IllegalStateException("socket layer bug");
                }
                super.out.write(b, off, len);
              }
            };
          }
          return out;
        }
      };
    }

    @Override
    public Socket createSocket(String host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void anUncheckedExceptionDuringAWriteLosesNoChunkAndLeaksNoMemory() {
    FaultyFirstWrite sockets = new FaultyFirstWrite();
    try (ForwardServer server = ForwardServer.start();
        Tributary t = client(server).socketFactory(sockets).listener(TributaryListener.NONE).build()) {
      for (int i = 0; i < 100; i++) {
        t.emit("robust", Map.of("seq", i));
      }
      t.flush();
      server.awaitEvents(100, WAIT);
      Await.until("all delivered", WAIT, () -> t.metrics().delivered() == 100);
      assertFalse(sockets.armed.get(), "the fault happened");
      assertEquals(0, t.close(WAIT));
      Accounting.assertSettled(t.metrics());
    }
  }
}
