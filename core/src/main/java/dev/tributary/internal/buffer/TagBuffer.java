package dev.tributary.internal.buffer;

/**
 * The open chunk of one tag. Appends and seals take this object's monitor for a copy's length;
 * no I/O and no waiting happen under it.
 */
final class TagBuffer {

  final String tag;
  private Chunk open;

  TagBuffer(String tag) {
    this.tag = tag;
  }

  Chunk open() {
    return open;
  }

  void open(Chunk c) {
    open = c;
  }
}
