package dev.tributary.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.value.Value;

/**
 * Sends a connection's acks, in request order, right away or after the scripted ack delay.
 *
 * <p>Without a delay the connection thread writes the ack itself and allocates nothing beyond
 * what msgpack-core needs; it sends the acks it has written when it next reads from the socket
 * ({@link #flushWritten()}), so the acks of the requests one read brought in go out together, as
 * Fluentd's event loop sends them, and never wait while the server waits for input. With a delay, acks wait in a queue and the {@link AckScheduler} thread
 * writes every ack that is due; taking acks only from the head keeps them in order even when the
 * delay changes between requests.
 *
 * <p>Thread safe: the connection thread and the scheduler thread both write. The lock guards the
 * packer and the queue, and is held during the (small) socket write because that write is exactly
 * what it serialises.
 */
final class AckWriter {
  private final MessagePacker packer;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<PendingAck> pending = new ArrayDeque<>();
  private final Script script;
  private final Journal journal;
  private final AckScheduler scheduler;
  private final Runnable onWriteFailure;
  /** Acks written to the packer but not yet flushed to the socket; guarded by the lock. */
  private boolean unflushed;

  /**
   * @param out the connection's socket output
   * @param onWriteFailure called (outside the lock) when the peer cannot be written to
   */
  AckWriter(OutputStream out, Script script, Journal journal, AckScheduler scheduler,
      Runnable onWriteFailure) {
    this.packer = MessagePack.newDefaultPacker(new BufferedOutputStream(out, 8192));
    this.script = script;
    this.journal = journal;
    this.scheduler = scheduler;
    this.onWriteFailure = onWriteFailure;
  }

  /** The packer, for a connection setup (such as a handshake) that runs before any ack. */
  MessagePacker packer() {
    return packer;
  }

  /** Sends {@code {"ack": chunk}}, now or after the current ack delay. */
  void ack(Value chunk) {
    long delay = script.ackDelayNanos();
    boolean written;
    lock.lock();
    try {
      if (delay <= 0 && pending.isEmpty()) {
        written = write(chunk);
      } else {
        pending.add(new PendingAck(System.nanoTime() + delay, chunk));
        written = true;
      }
    } finally {
      lock.unlock();
    }
    if (!written) {
      onWriteFailure.run();
    } else if (delay > 0) {
      scheduler.schedule(this::sendDue, delay);
    } else {
      sendDue();
    }
  }

  /**
   * For a connection that closes next: queues {@code {"ack": chunk}} (none when {@code chunk} is
   * {@code null}) and, on the calling thread, waits until every queued ack is due, then writes them
   * all in order. Returns early, leaving acks unsent, when the thread is interrupted (the server is
   * closing) or the peer cannot be written to.
   */
  void ackBeforeClose(Value chunk) {
    long lastDue = System.nanoTime() + script.ackDelayNanos();
    lock.lock();
    try {
      if (chunk != null) {
        pending.add(new PendingAck(lastDue, chunk));
      }
      for (PendingAck p : pending) {
        if (p.dueNanos() - lastDue > 0) {
          lastDue = p.dueNanos();
        }
      }
    } finally {
      lock.unlock();
    }
    try {
      for (long wait; (wait = lastDue - System.nanoTime()) > 0; ) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    lock.lock();
    try {
      while (!pending.isEmpty() && write(pending.poll().chunk())) {
        // Written in request order; a failed write leaves the rest to the reset that follows.
      }
      flushLocked();
    } finally {
      lock.unlock();
    }
  }

  private void sendDue() {
    boolean failed = false;
    lock.lock();
    try {
      long now = System.nanoTime();
      boolean wrote = false;
      while (!pending.isEmpty() && pending.peek().dueNanos() - now <= 0) {
        wrote = true;
        if (!write(pending.poll().chunk())) {
          pending.clear();
          failed = true;
        }
      }
      if (wrote && !failed) {
        failed = !flushLocked();
      }
    } finally {
      lock.unlock();
    }
    if (failed) {
      onWriteFailure.run();
    }
  }

  /**
   * Sends the acks written so far; the connection thread calls it before it reads from the
   * socket again.
   */
  void flushWritten() {
    boolean failed;
    lock.lock();
    try {
      failed = !flushLocked();
    } finally {
      lock.unlock();
    }
    if (failed) {
      onWriteFailure.run();
    }
  }

  /** Flushes what was written; returns false when the connection is broken. Call with the lock held. */
  private boolean flushLocked() {
    if (!unflushed) {
      return true;
    }
    unflushed = false;
    try {
      packer.flush();
    } catch (IOException e) {
      return false;
    }
    return true;
  }

  /**
   * Writes one ack into the packer's buffer (sent by a flush, or when the buffer fills); returns
   * false when the connection is broken. Call with the lock held.
   */
  private boolean write(Value chunk) {
    // Counted first, so a client that has read an ack always finds it counted.
    journal.ackSent();
    try {
      packer.packMapHeader(1);
      packer.packString("ack");
      packer.packValue(chunk);
    } catch (IOException e) {
      return false;
    }
    unflushed = true;
    return true;
  }

  private record PendingAck(long dueNanos, Value chunk) {}
}
