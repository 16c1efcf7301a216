package dev.tributary.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Everything a server has received and done, and the waiting on it.
 *
 * <p>Thread safe: connection threads record, test threads read and wait. One lock guards all
 * state and one condition is signalled on every change, so a waiter re-checks its own predicate
 * with a deadline instead of polling.
 */
final class Journal {
  /** Errors beyond this many are counted but not kept, so a flood cannot fill the heap. */
  private static final int MAX_ERRORS_KEPT = 1000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final boolean countOnly;
  private final int requestsKept;
  private final List<ReceivedEvent> events = new ArrayList<>();
  private final List<ReceivedRequest> requests = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final List<ReceivedHandshake> handshakes = new ArrayList<>();
  private final List<TlsSession> tlsSessions = new ArrayList<>();
  private final List<String> tlsFailures = new ArrayList<>();
  private long eventCount;
  private long requestCount;
  private long acksSent;
  private long malformed;
  private long droppedOversize;
  private long oversizeResets;
  private int accepted;
  private int open;
  private boolean closed;

  /**
   * @param requestsKept {@link Integer#MAX_VALUE} to keep every event and request; otherwise
   *     count-only mode, which keeps no events and the metadata of this many requests
   */
  Journal(int requestsKept) {
    this.countOnly = requestsKept != Integer.MAX_VALUE;
    this.requestsKept = requestsKept;
  }

  void connectionOpened() {
    update(() -> {
      accepted++;
      open++;
    });
  }

  void connectionClosed() {
    update(() -> open--);
  }

  /** Records a request and stores its events; both appear to readers at once. */
  void store(ReceivedRequest request, List<ReceivedEvent> received) {
    update(() -> {
      requests.add(request);
      events.addAll(received);
      requestCount++;
      eventCount += received.size();
    });
  }

  /** Records a request whose events were dropped on purpose. */
  void dropped(ReceivedRequest request) {
    update(() -> {
      keep(request);
      requestCount++;
    });
  }

  /** Records a request dropped for its size. */
  void droppedOversize(ReceivedRequest request) {
    update(() -> {
      keep(request);
      requestCount++;
      droppedOversize++;
    });
  }

  void oversizeReset() {
    update(() -> oversizeResets++);
  }

  /** Counts a request in count-only mode, where no event is kept. */
  void counted(ReceivedRequest request) {
    update(() -> {
      keep(request);
      requestCount++;
      eventCount += request.eventCount();
    });
  }

  private void keep(ReceivedRequest request) {
    if (requests.size() < requestsKept) {
      requests.add(request);
    }
  }

  void ackSent() {
    update(() -> acksSent++);
  }

  void ignoredRoot(String why) {
    update(() -> {
      malformed++;
      keepError(why);
    });
  }

  void protocolError(String what) {
    update(() -> keepError(what));
  }

  /** Records an accepted handshake. */
  void handshake(ReceivedHandshake h) {
    handshake(h, "");
  }

  /** Records a handshake; a refusal is a protocol error too, with {@code detail} when not empty. */
  void handshake(ReceivedHandshake h, String detail) {
    update(() -> {
      handshakes.add(h);
      if (!h.accepted()) {
        keepError("connection " + h.connectionId() + ": handshake refused: " + h.reason()
            + (detail.isEmpty() ? "" : " (" + detail + ")"));
      }
    });
  }

  void tlsSession(TlsSession session) {
    update(() -> tlsSessions.add(session));
  }

  /** Records a failed TLS handshake; it is a protocol error too. */
  void tlsFailure(String what) {
    update(() -> {
      if (tlsFailures.size() < MAX_ERRORS_KEPT) {
        tlsFailures.add(what);
      }
      keepError(what);
    });
  }

  /** Wakes every waiter: nothing more will arrive. */
  void close() {
    update(() -> closed = true);
  }

  List<ReceivedEvent> events() {
    return read(() -> List.copyOf(events));
  }

  /** Returns the stored events and forgets them; the counts stay. */
  List<ReceivedEvent> takeEvents() {
    return read(() -> {
      List<ReceivedEvent> taken = List.copyOf(events);
      events.clear();
      return taken;
    });
  }

  List<ReceivedRequest> requests() {
    return read(() -> List.copyOf(requests));
  }

  List<String> errors() {
    return read(() -> List.copyOf(errors));
  }

  List<ReceivedHandshake> handshakes() {
    return read(() -> List.copyOf(handshakes));
  }

  List<TlsSession> tlsSessions() {
    return read(() -> List.copyOf(tlsSessions));
  }

  List<String> tlsFailures() {
    return read(() -> List.copyOf(tlsFailures));
  }

  List<ReceivedHandshake> awaitHandshakes(int n, Duration timeout) {
    await(() -> handshakes.size() >= n, timeout,
        () -> "expected at least " + n + " handshakes within " + timeout + " but "
            + handshakes.size() + " ran");
    return handshakes();
  }

  long eventCount() {
    return read(() -> eventCount);
  }

  long requestCount() {
    return read(() -> requestCount);
  }

  long acksSent() {
    return read(() -> acksSent);
  }

  long malformed() {
    return read(() -> malformed);
  }

  long droppedOversize() {
    return read(() -> droppedOversize);
  }

  long oversizeResets() {
    return read(() -> oversizeResets);
  }

  int accepted() {
    return read(() -> accepted);
  }

  int open() {
    return read(() -> open);
  }

  List<ReceivedEvent> awaitEvents(int n, Duration timeout) {
    requireKeeping("awaitEvents", "awaitEventCount");
    await(() -> events.size() >= n, timeout,
        () -> "expected at least " + n + " events within " + timeout + " but " + events.size()
            + " arrived");
    return events();
  }

  void awaitEventCount(long n, Duration timeout) {
    await(() -> eventCount >= n, timeout,
        () -> "expected at least " + n + " events within " + timeout + " but " + eventCount
            + " arrived");
  }

  List<ReceivedRequest> awaitRequests(int n, Duration timeout) {
    if (n > requestsKept) {
      throw new IllegalArgumentException("awaitRequests(" + n + ") on a countOnly server, which keeps the first "
          + requestsKept + " requests; use requestCount");
    }
    await(() -> requests.size() >= n, timeout,
        () -> "expected at least " + n + " requests within " + timeout + " but " + requests.size()
            + " arrived");
    return requests();
  }

  void awaitOpen(int n, Duration timeout) {
    await(() -> open == n, timeout,
        () -> "expected " + n + " open connections within " + timeout + " but " + open
            + " are open");
  }

  private void requireKeeping(String method, String alternative) {
    if (countOnly) {
      throw new IllegalStateException(
          method + " needs stored events, but this server is countOnly; use " + alternative);
    }
  }

  private void await(BooleanSupplier done, Duration timeout, Supplier<String> failure) {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (!done.getAsBoolean()) {
        if (closed) {
          throw new AssertionError(failure.get() + " (the server was closed)" + errorSuffix());
        }
        if (remaining <= 0) {
          throw new AssertionError(failure.get() + errorSuffix());
        }
        remaining = changed.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting: " + failure.get());
    } finally {
      lock.unlock();
    }
  }

  private String errorSuffix() {
    if (errors.isEmpty()) {
      return "";
    }
    List<String> latest = errors.subList(Math.max(0, errors.size() - 3), errors.size());
    return "; latest protocol errors: " + latest;
  }

  private void keepError(String what) {
    if (errors.size() < MAX_ERRORS_KEPT) {
      errors.add(what);
    }
  }

  private void update(Runnable change) {
    lock.lock();
    try {
      change.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private <T> T read(Supplier<T> reader) {
    lock.lock();
    try {
      return reader.get();
    } finally {
      lock.unlock();
    }
  }
}
