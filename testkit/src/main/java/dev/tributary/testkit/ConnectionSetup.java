package dev.tributary.testkit;

import java.io.IOException;
import java.net.Socket;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * What a connection does after it is accepted (and after its TLS handshake) and before it reads
 * requests: the shared-key handshake ({@link Handshake}), or nothing ({@link #NONE}).
 *
 * <p>Implementations must be thread safe: one instance serves every connection of a server, each
 * on its own thread.
 */
@FunctionalInterface
interface ConnectionSetup {
  /** Does nothing: requests are read at once. */
  ConnectionSetup NONE = connection -> {};

  /**
   * Runs on the connection's thread. Throwing {@link ConnectionRefused} ends the connection as it
   * says; any other exception is recorded as a protocol error and resets the connection.
   */
  void run(Connection connection) throws IOException;

  /** This setup, then {@code next}. */
  default ConnectionSetup andThen(ConnectionSetup next) {
    Objects.requireNonNull(next, "next");
    return connection -> {
      run(connection);
      next.run(connection);
    };
  }

  /**
   * One connection as a setup sees it.
   *
   * @param id the connection's id, as in {@link ReceivedEvent#connectionId()}
   * @param socket the accepted socket (TLS already negotiated)
   * @param in the stream the requests will be read from
   * @param out the stream acks will be written to (flush what you write)
   * @param bytesRead how many bytes {@code in} has taken from the socket so far; minus {@code
   *     in.getTotalReadBytes()}, what it holds buffered
   * @param keepalive false when the server denies keepalive
   * @param journal where to record what happened
   */
  record Connection(int id, Socket socket, MessageUnpacker in, MessagePacker out,
      LongSupplier bytesRead, boolean keepalive, Journal journal) {}
}
