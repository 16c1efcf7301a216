package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * A bare forward client over a plain socket: writes given bytes and reads acks with a read
 * timeout, so no test sleeps.
 */
final class TestClient implements AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private final Socket socket;
  private final OutputStream out;
  private final MessageUnpacker in;

  private TestClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    this.out = socket.getOutputStream();
    this.in = MessagePack.newDefaultUnpacker(socket.getInputStream());
  }

  static TestClient connect(ForwardServer server) {
    return connect(server, 0);
  }

  /** Connects with {@code SO_SNDBUF} = {@code sendBufferSize} (0 keeps the OS default). */
  static TestClient connect(ForwardServer server, int sendBufferSize) {
    return connect(server.address(), sendBufferSize);
  }

  /** Connects to any address, such as a {@link FaultProxy}'s. */
  static TestClient connect(InetSocketAddress address) {
    return connect(address, 0);
  }

  /** Wraps a connected socket, plain or TLS; the client owns it from now on. */
  static TestClient over(Socket socket) {
    try {
      return new TestClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TestClient connect(InetSocketAddress address, int sendBufferSize) {
    try {
      Socket socket = new Socket();
      if (sendBufferSize > 0) {
        socket.setSendBufferSize(sendBufferSize);
      }
      socket.connect(address, READ_TIMEOUT_MILLIS);
      return new TestClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(byte[]... parts) {
    try {
      for (byte[] part : parts) {
        out.write(part);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads exactly {@code n} bytes straight from the socket, to check encodings byte for byte;
   * only before anything was read through {@link #readValue()} or the ack readers.
   */
  byte[] readRaw(int n) {
    try {
      byte[] bytes = socket.getInputStream().readNBytes(n);
      assertEquals(n, bytes.length, "the server closed after " + bytes.length + " bytes");
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads raw bytes until the server closes or resets the connection and returns them, such as
   * the TLS alert a TLS server sends a client that does not speak TLS; only before anything was
   * read through the unpacker.
   */
  byte[] readUntilClosed() {
    java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
    try {
      java.io.InputStream raw = socket.getInputStream();
      for (int b; (b = raw.read()) >= 0; ) {
        received.write(b);
      }
    } catch (SocketTimeoutException e) {
      fail("the server did not close the connection within " + READ_TIMEOUT_MILLIS + " ms");
    } catch (SocketException e) {
      // A reset ends it too.
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return received.toByteArray();
  }

  /** Reads one msgpack value the server sent. */
  Value readValue() {
    try {
      return in.unpackValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one response, checks it is {@code {"ack": x}}, and returns x. */
  Value readAckValue() {
    try {
      Value response = in.unpackValue();
      MapValue map = response.asMapValue();
      assertEquals(1, map.size(), "an ack map has one key: " + response);
      Value ack = map.map().get(ValueFactory.newString("ack"));
      if (ack == null) {
        fail("not an ack: " + response);
      }
      return ack;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one ack whose value is a str, and returns it. */
  String readAck() {
    return readAckValue().asStringValue().asString();
  }

  /** Asserts that the server closes the connection (EOF or reset) before sending anything else. */
  void assertClosedByServer() {
    try {
      if (in.hasNext()) {
        fail("expected the server to close the connection, but it sent " + in.unpackValue());
      }
    } catch (SocketTimeoutException e) {
      fail("the server did not close the connection within " + READ_TIMEOUT_MILLIS + " ms");
    } catch (SocketException e) {
      // A reset is how a real Fluentd closes, and how ForwardServer aborts.
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that the server closes the connection in order (FIN, end of stream) before sending
   * anything else; a reset fails the test.
   */
  void assertClosedInOrderByServer() {
    try {
      if (in.hasNext()) {
        fail("expected the server to close the connection, but it sent " + in.unpackValue());
      }
    } catch (SocketTimeoutException e) {
      fail("the server did not close the connection within " + READ_TIMEOUT_MILLIS + " ms");
    } catch (IOException e) {
      throw new AssertionError("expected an orderly close (FIN), but reading failed: " + e, e);
    }
  }

  /**
   * Asserts that the server resets the connection (a TCP RST) before sending anything else; an
   * orderly close (FIN) fails the test.
   */
  void assertResetByServer() {
    try {
      if (in.hasNext()) {
        fail("expected the server to reset the connection, but it sent " + in.unpackValue());
      }
      fail("expected a reset, but the server closed the connection in order (FIN)");
    } catch (SocketTimeoutException e) {
      fail("the server did not reset the connection within " + READ_TIMEOUT_MILLIS + " ms");
    } catch (SocketException e) {
      // The reset.
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that nothing arrives, and the connection is neither closed nor reset, for {@code
   * quiet}: a peer that hangs. A negative check, so keep {@code quiet} short.
   */
  void assertSilentFor(Duration quiet) {
    try {
      socket.setSoTimeout((int) quiet.toMillis());
      try {
        if (in.hasNext()) {
          fail("expected silence, but the server sent " + in.unpackValue());
        }
        fail("expected silence, but the server closed the connection");
      } catch (SocketTimeoutException expected) {
        // Silence: the connection is open and nothing came.
      } finally {
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      }
    } catch (IOException e) {
      throw new AssertionError("expected silence, but reading failed: " + e, e);
    }
  }

  /**
   * Sends on a thread of its own, for writes that may block; the future fails if the write does.
   * Closing the client ends a blocked write.
   */
  CompletableFuture<Void> sendAsync(byte[]... parts) {
    return CompletableFuture.runAsync(() -> send(parts), task -> {
      Thread thread = new Thread(task, "test-client-send");
      thread.setDaemon(true);
      thread.start();
    });
  }

  /** Half-closes: sends FIN but keeps reading, as a client that waits for its last acks. */
  void shutdownOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
