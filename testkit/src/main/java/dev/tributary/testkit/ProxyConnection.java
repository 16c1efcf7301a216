package dev.tributary.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One client connection through a {@link FaultProxy}: the client's socket, the socket to the
 * upstream server, and a pump thread per direction ({@code <prefix>-up} reads the client, {@code
 * <prefix>-down} reads the server).
 *
 * <p>A connection forwards, then may be switched, one way only, to a black hole (read and discard
 * both ways, pass nothing on, never close) or to hang (stop reading both ways; the pump threads end
 * but the sockets stay open). An orderly close (FIN) is passed on to the other side, and the
 * connection closes once both sides have ended; a reset or an error on either side, or {@link
 * #reset()}, resets both sides, so a pump's failure ends its own connection only.
 *
 * <p>Thread safe: the proxy's threads switch and reset it while the pumps run. Owns both sockets
 * and the pump threads; tells its owner once, through {@code onEnd}, when it has closed and its
 * pumps have ended.
 */
final class ProxyConnection {
  /** What the connection does with bytes; it only ever moves down this list. */
  enum Mode {
    FORWARD,
    BLACK_HOLE,
    HANG
  }

  /** How often a pump blocked in a read looks at its mode, so that it can stop reading. */
  static final int POLL_MILLIS = 100;

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Socket client;
  private final InetSocketAddress target;
  private final ProxyScript script;
  private final String threadPrefix;
  private final LongConsumer forwardedUp;
  private final LongConsumer forwardedDown;
  private final Consumer<ProxyConnection> onEnd;
  private final Object lock = new Object();
  private final List<Thread> threads = new ArrayList<>(2); // guarded by lock
  private volatile Mode mode = Mode.FORWARD; // written under lock
  private Socket upstream; // guarded by lock; null until connecting
  private int pumpsRunning; // guarded by lock
  /** A black hole's client closed its side; written by the up pump, read under the lock. */
  private volatile boolean clientLeft;
  private boolean closed; // guarded by lock
  private boolean ended; // guarded by lock; onEnd was called
  private OutputStream upstreamOut; // used by the up pump only

  /**
   * @param client the accepted socket, with its read timeout set to {@link #POLL_MILLIS}
   * @param target the server to connect to
   * @param threadPrefix the pump threads' names, before {@code -up} / {@code -down}
   * @param forwardedUp told how many client bytes went to the server
   * @param forwardedDown told how many server bytes went to the client
   * @param onEnd called once, when the connection has closed and its pumps have ended
   */
  ProxyConnection(Socket client, InetSocketAddress target, ProxyScript script,
      String threadPrefix, LongConsumer forwardedUp, LongConsumer forwardedDown,
      Consumer<ProxyConnection> onEnd) {
    this.client = client;
    this.target = target;
    this.script = script;
    this.threadPrefix = threadPrefix;
    this.forwardedUp = forwardedUp;
    this.forwardedDown = forwardedDown;
    this.onEnd = onEnd;
  }

  /**
   * Starts in {@code initial} (or a mode it was switched to meanwhile): forwarding connects to the
   * server first, a black hole only reads the client, a hanging connection runs no thread at all.
   */
  void start(Mode initial) {
    synchronized (lock) {
      escalate(initial);
      if (closed || mode == Mode.HANG) {
        return;
      }
      startPump(this::runUp, "-up");
    }
  }

  /** Switches a forwarding connection to a black hole; a chunk already read may still pass. */
  void blackHole() {
    synchronized (lock) {
      escalate(Mode.BLACK_HOLE);
    }
  }

  /** Stops reading both ways; the pumps end within {@link #POLL_MILLIS}, the sockets stay open. */
  void hang() {
    synchronized (lock) {
      escalate(Mode.HANG);
    }
    script.wake();
  }

  /** Resets both sides (a TCP RST each). Idempotent; callable from any thread. */
  void reset() {
    Socket up;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      up = upstream;
    }
    abortQuietly(client);
    abortQuietly(up);
    script.wake();
    endIfDone();
  }

  /** Waits until {@code deadlineNanos} (of {@link System#nanoTime()}) for the pumps to end. */
  boolean join(long deadlineNanos) throws InterruptedException {
    List<Thread> started;
    synchronized (lock) {
      started = List.copyOf(threads);
    }
    for (Thread t : started) {
      t.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
    }
    return started.stream().noneMatch(Thread::isAlive);
  }

  Mode mode() {
    return mode;
  }

  private void runUp() {
    try {
      if (mode == Mode.FORWARD) {
        connectUpstream();
        synchronized (lock) {
          if (!closed && mode != Mode.HANG) {
            startPump(this::runDown, "-down");
          }
        }
      }
      pumpUp();
    } catch (IOException | RuntimeException e) {
      if (mode != Mode.HANG) {
        // Either side failed, or the server could not be reached: both sides learn it.
        reset();
      }
    } finally {
      pumpEnded();
    }
  }

  private void runDown() {
    try {
      pumpDown();
    } catch (IOException | RuntimeException e) {
      if (mode == Mode.FORWARD) {
        reset();
      } else if (mode == Mode.BLACK_HOLE) {
        // The server is gone; a black hole keeps its client none the wiser.
        closeQuietly(upstream());
      }
    } finally {
      pumpEnded();
    }
  }

  private void connectUpstream() throws IOException {
    Socket socket = new Socket();
    synchronized (lock) {
      if (closed) {
        throw new SocketException("connection closed before it reached the server");
      }
      // Published before connecting, so that reset() can break off a connect that hangs.
      upstream = socket;
    }
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(POLL_MILLIS);
    socket.connect(target, CONNECT_TIMEOUT_MILLIS);
    upstreamOut = socket.getOutputStream();
  }

  /** Client to server: throttled, counted against the reset budget, and switched by the mode. */
  private void pumpUp() throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    InputStream in = client.getInputStream();
    while (!stopped()) {
      int wanted = mode == Mode.FORWARD ? script.readSize(buffer.length) : buffer.length;
      int n;
      try {
        n = in.read(buffer, 0, wanted);
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (n < 0) {
        if (mode == Mode.FORWARD) {
          upstream().shutdownOutput(); // the client's FIN, passed on
        } else if (mode == Mode.BLACK_HOLE) {
          // The client left: nothing will pass any more. The server side goes (ending the down
          // pump), and the connection ends with it rather than holding the client's socket.
          clientLeft = true;
          closeQuietly(upstream());
        }
        return;
      }
      if (!forwardUp(buffer, n)) {
        return;
      }
    }
  }

  /** Forwards {@code n} read bytes in throttled pieces; returns false once it reset the connection. */
  private boolean forwardUp(byte[] buffer, int n) throws IOException {
    for (int off = 0; off < n; ) {
      if (mode != Mode.FORWARD || stopped()) {
        return true; // a black hole or a hung connection discards the rest
      }
      int piece = script.acquire(n - off);
      if (piece == 0) {
        continue;
      }
      ProxyScript.Allowance allowance = script.take(piece);
      if (allowance.bytes() > 0) {
        upstreamOut.write(buffer, off, allowance.bytes());
        forwardedUp.accept(allowance.bytes());
        off += allowance.bytes();
      }
      if (allowance.resetAfter()) {
        reset();
        return false;
      }
    }
    return true;
  }

  /** Server to client: passed on while forwarding, read and dropped in a black hole. */
  private void pumpDown() throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    Socket server = upstream();
    InputStream in = server.getInputStream();
    OutputStream out = client.getOutputStream();
    while (!stopped()) {
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (n < 0) {
        if (mode == Mode.FORWARD) {
          client.shutdownOutput(); // the server's FIN, passed on
        } else if (mode == Mode.BLACK_HOLE) {
          closeQuietly(server);
        }
        return;
      }
      if (mode == Mode.FORWARD) {
        out.write(buffer, 0, n);
        forwardedDown.accept(n);
      }
    }
  }

  private boolean stopped() {
    synchronized (lock) {
      return closed || mode == Mode.HANG;
    }
  }

  /** Call with the lock held. */
  private void startPump(Runnable pump, String suffix) {
    Thread thread = new Thread(pump, threadPrefix + suffix);
    thread.setDaemon(true);
    threads.add(thread);
    pumpsRunning++;
    try {
      thread.start();
    } catch (OutOfMemoryError e) {
      // No native thread left: this connection cannot run, the proxy must go on.
      threads.remove(thread);
      pumpsRunning--;
      throw new IllegalStateException("cannot start " + thread.getName(), e);
    }
  }

  /**
   * A pump has ended. When the last one ends on a connection that still forwards, both sides have
   * closed in order, so the connection closes; so does a black hole whose client left. A hung
   * connection stays open.
   */
  private void pumpEnded() {
    boolean closeNow = false;
    synchronized (lock) {
      pumpsRunning--;
      if (pumpsRunning == 0 && !closed && (mode == Mode.FORWARD || clientLeft)) {
        closed = true;
        closeNow = true;
      }
    }
    if (closeNow) {
      closeQuietly(client);
      closeQuietly(upstream());
    }
    endIfDone();
  }

  private void endIfDone() {
    synchronized (lock) {
      if (!closed || pumpsRunning > 0 || ended) {
        return;
      }
      ended = true;
    }
    onEnd.accept(this);
  }

  /** Call with the lock held. */
  private void escalate(Mode to) {
    if (to.ordinal() > mode.ordinal()) {
      mode = to;
    }
  }

  private Socket upstream() {
    synchronized (lock) {
      return upstream;
    }
  }

  private static void abortQuietly(Socket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // Already closed: nothing left to reset.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best effort: the peer may have reset the connection already.
    }
  }
}
