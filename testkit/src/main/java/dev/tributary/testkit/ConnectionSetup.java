package dev.tributary.testkit;

import java.io.IOException;
import java.net.Socket;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * What a connection does after it is accepted and before it reads requests. This is where the
 * shared-key handshake (HELO, PING, PONG) will go; today the only setup is {@link #NONE}.
 *
 * <p>Implementations must be thread safe: one instance serves every connection of a server, each
 * on its own thread.
 */
@FunctionalInterface
interface ConnectionSetup {
  /** Does nothing: requests are read at once. */
  ConnectionSetup NONE = (socket, in, out) -> {};

  /**
   * Runs on the connection's thread. Throwing closes the connection.
   *
   * @param socket the accepted socket
   * @param in the stream the requests will be read from
   * @param out the stream acks will be written to (flush what you write)
   */
  void run(Socket socket, MessageUnpacker in, MessagePacker out) throws IOException;
}
