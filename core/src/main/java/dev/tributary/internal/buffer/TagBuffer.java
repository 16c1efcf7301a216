package dev.tributary.internal.buffer;

/**
 * The open chunks of one tag, one per stripe. A thread always appends to the same stripe, so its
 * events stay in order within the tag while threads on different stripes do not contend for one
 * monitor. Appends and seals take the stripe's monitor for a copy's length; no I/O and no waiting
 * happen under it.
 */
final class TagBuffer {

  /** One stripe: its monitor guards {@link #open}. */
  static final class Stripe {
    Chunk open;
  }

  final String tag;
  final Stripe[] stripes;
  /** How many bytes of entries a chunk of this tag may hold: the request must fit around them. */
  final int maxChunkBytes;

  TagBuffer(String tag, int stripes, int maxChunkBytes) {
    this.tag = tag;
    this.maxChunkBytes = maxChunkBytes;
    this.stripes = new Stripe[stripes];
    for (int i = 0; i < stripes; i++) {
      this.stripes[i] = new Stripe();
    }
  }
}
