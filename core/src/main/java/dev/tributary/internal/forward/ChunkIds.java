package dev.tributary.internal.forward;

import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Makes ack ids: 16 random bytes in Base64, 24 ASCII characters, sent as a msgpack str. Servers
 * echo the id back and compare nothing, so uniqueness is all that matters. Flusher thread only.
 */
final class ChunkIds {
  private final SplittableRandom random = new SplittableRandom();
  private final byte[] raw = new byte[16];

  String next() {
    long a = random.nextLong();
    long b = random.nextLong();
    for (int i = 0; i < 8; i++) {
      raw[i] = (byte) (a >>> (i * 8));
      raw[8 + i] = (byte) (b >>> (i * 8));
    }
    return Base64.getEncoder().encodeToString(raw);
  }
}
