package dev.tributary.internal.output;

import dev.tributary.internal.buffer.Chunk;
import java.io.IOException;
import java.util.List;

/**
 * Where the flusher hands sealed chunks. Driven by the flusher thread only; completion may be
 * reported from the output's own threads through the {@link DeliverySink} it was made with.
 *
 * <p>A chunk passed to {@link #send} belongs to the output until it is either reported delivered
 * to the sink or returned by {@link #takeFailed()}; never both, and never neither. A chunk handed
 * back carries what the output learnt about it ({@link Chunk#splitWanted()}, {@link
 * Chunk#rejections()}, {@link Chunk#unackedWhileServerAcked()}); the flusher decides what follows.
 */
public interface Output {

  /** Whether {@link #send} may be called now (for example, the ack window has room). */
  boolean canAccept();

  /**
   * Writes one chunk. On failure the chunk (and any others the failure took down with it) come
   * back through {@link #takeFailed()}, and the exception says why.
   */
  void send(Chunk chunk) throws IOException;

  /**
   * Writes one chunk like {@link #send(Chunk)}; {@code more} says that the flusher has another
   * chunk to send right after it. An output may then keep the request in its buffer to write it
   * together with the next ones (one socket write for several small requests) until a send
   * without {@code more}, or {@link #flush()}, which the flusher calls before it waits for
   * anything.
   */
  default void send(Chunk chunk, boolean more) throws IOException {
    send(chunk);
  }

  /**
   * Writes out what {@link #send(Chunk, boolean)} kept in a buffer. A failure breaks the
   * connection: its chunks come back through {@link #takeFailed()}, nothing is thrown.
   */
  default void flush() {}

  /** Chunks whose delivery failed since the last call, oldest first. */
  List<Chunk> takeFailed();

  /** The failure behind the chunks last returned by {@link #takeFailed()}, or null. */
  Throwable lastFailure();

  /**
   * Breaks off any blocking {@link #send} from another thread (close past its deadline). Thread
   * safe. The chunks involved come back through {@link #takeFailed()}.
   */
  void abort(Throwable cause);

  /** Closes connections; chunks still in flight come back through {@link #takeFailed()}. */
  void close();
}
