package dev.tributary.internal.output;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Lines to a stream that someone else owns (standard output): written and flushed per chunk, in one
 * write, so a chunk's lines are not cut by other writers of a {@link java.io.PrintStream}; never
 * closed. A {@code PrintStream} keeps its errors to itself, so they are asked for after each write.
 */
public final class StreamTarget implements JsonLinesOutput.Target {

  private final OutputStream out;

  public StreamTarget(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(byte[] lines, int len) throws IOException {
    out.write(lines, 0, len);
    out.flush();
    if (out instanceof java.io.PrintStream && ((java.io.PrintStream) out).checkError()) {
      throw new IOException("the stream reported an error");
    }
  }

  @Override
  public void close() {}
}
