package dev.tributary.internal.output;

import dev.tributary.internal.buffer.Chunk;
import dev.tributary.internal.codec.JsonLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An output that writes each chunk as JSON lines ({@link JsonLines}) to a {@link Target}: standard
 * output or a rotated file. A chunk is delivered once its lines are written (handed to the stream or
 * the operating system; nothing is synced to disk); a write that fails hands the chunk back to be
 * retried, with the flusher's backoff, from its first line (the lines before the failure may then
 * be written twice).
 *
 * <p>Driven by the output's flusher thread only, like every {@link Output}; always ready to
 * accept. {@link #close()} closes the target.
 */
public final class JsonLinesOutput implements Output {

  /** Where the lines go. Called by the flusher thread only. */
  public interface Target {
    /** Writes {@code len} bytes of whole lines, at once. */
    void write(byte[] lines, int len) throws IOException;

    /** Releases what the target holds; a later write may open it again. */
    void close();
  }

  private final Target target;
  private final DeliverySink sink;
  private final JsonLines json = new JsonLines();
  private final Entries entries = new Entries();
  private final List<Chunk> failed = new ArrayList<>();
  private Throwable lastFailure;

  /** A chunk's entries in one array, reused. */
  private static final class Entries extends ByteArrayOutputStream {
    byte[] array() {
      return buf;
    }
  }

  public JsonLinesOutput(Target target, DeliverySink sink) {
    this.target = target;
    this.sink = sink;
  }

  @Override
  public boolean canAccept() {
    return true;
  }

  @Override
  public void send(Chunk chunk) throws IOException {
    try {
      entries.reset();
      chunk.writeTo(entries);
      json.render(chunk.tag(), entries.array(), entries.size());
      target.write(json.array(), json.size());
    } catch (IOException | RuntimeException e) {
      failed.add(chunk);
      lastFailure = e;
      target.close();
      throw e instanceof IOException ? (IOException) e : new IOException(e);
    }
    sink.delivered(chunk);
  }

  @Override
  public List<Chunk> takeFailed() {
    if (failed.isEmpty()) {
      return List.of();
    }
    List<Chunk> l = new ArrayList<>(failed);
    failed.clear();
    return l;
  }

  @Override
  public Throwable lastFailure() {
    return lastFailure;
  }

  @Override
  public void abort(Throwable cause) {
    // writes to a stream or a file are not broken off; close waits for the one under way
  }

  @Override
  public void close() {
    target.close();
  }
}
