package dev.tributary.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;
import javax.net.ServerSocketFactory;

/**
 * A bound listening socket and the daemon thread that accepts on it.
 *
 * <p>The socket comes from a {@link ServerSocketFactory}, the seam where TLS plugs in ({@link
 * ServerTls}: its sockets handshake when the connection's thread starts them). Thread safe; owns
 * the socket and the thread; {@link #close()} stops both.
 */
final class Listener implements AutoCloseable {
  static final InetAddress LOOPBACK = loopback();
  private static final int BACKLOG = 50;

  private final ServerSocket socket;
  private final Thread thread;
  private final Consumer<Socket> onAccept;

  private Listener(ServerSocket socket, String threadPrefix, Consumer<Socket> onAccept) {
    this.socket = socket;
    this.onAccept = onAccept;
    this.thread =
        new Thread(this::acceptLoop, threadPrefix + socket.getLocalPort() + "-accept");
    thread.setDaemon(true);
  }

  /**
   * Binds 127.0.0.1:{@code port} (0 picks a free port) with {@code SO_REUSEADDR}, so a server
   * can bind its old port again right after closing it. Accepting begins with {@link #start()}.
   *
   * @param receiveBufferSize {@code SO_RCVBUF} for accepted sockets, or 0 for the OS default
   * @param onAccept called on the accept thread for each accepted socket
   */
  static Listener open(ServerSocketFactory factory, int port, int receiveBufferSize,
      Consumer<Socket> onAccept) throws IOException {
    return open(factory, port, receiveBufferSize, "forward-server-", onAccept);
  }

  /**
   * As {@link #open(ServerSocketFactory, int, int, Consumer)}, with the accept thread named
   * {@code <threadPrefix><port>-accept}.
   */
  static Listener open(ServerSocketFactory factory, int port, int receiveBufferSize,
      String threadPrefix, Consumer<Socket> onAccept) throws IOException {
    ServerSocket socket = factory.createServerSocket();
    try {
      socket.setReuseAddress(true);
      if (receiveBufferSize > 0) {
        // Set before bind: accepted sockets inherit it, and the window is fixed at handshake.
        socket.setReceiveBufferSize(receiveBufferSize);
      }
      socket.bind(new InetSocketAddress(LOOPBACK, port), BACKLOG);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    return new Listener(socket, threadPrefix, onAccept);
  }

  /** Starts the accept thread. */
  void start() {
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      Socket accepted;
      try {
        accepted = socket.accept();
      } catch (IOException e) {
        // Closing the listener is the only way out; other accept failures are transient.
        continue;
      }
      onAccept.accept(accepted);
    }
  }

  /** Closes the socket, so new connections are refused, and waits for the accept thread. */
  @Override
  public void close() throws InterruptedException {
    try {
      socket.close();
    } catch (IOException ignored) {
      // The socket is unusable either way.
    }
    thread.join(ForwardServer.JOIN_TIMEOUT.toMillis());
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
