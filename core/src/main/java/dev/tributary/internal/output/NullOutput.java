package dev.tributary.internal.output;

import dev.tributary.internal.buffer.Chunk;
import java.util.List;

/** Fluentd's {@code null} output: every chunk is delivered at once, nowhere. Flusher thread only. */
public final class NullOutput implements Output {

  private final DeliverySink sink;

  public NullOutput(DeliverySink sink) {
    this.sink = sink;
  }

  @Override
  public boolean canAccept() {
    return true;
  }

  @Override
  public void send(Chunk chunk) {
    sink.delivered(chunk);
  }

  @Override
  public List<Chunk> takeFailed() {
    return List.of();
  }

  @Override
  public Throwable lastFailure() {
    return null;
  }

  @Override
  public void abort(Throwable cause) {}

  @Override
  public void close() {}
}
