package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** Splitting a chunk the server refuses: exact halves, shared pages, memory back exactly once. */
class ChunkSplitTest {

  private final BufferPool pool = new BufferPool(64 * 1024, 1024);

  /** One entry {@code [i, "xxx…"]} of about {@code size} bytes. */
  private static byte[] entry(int i, int size) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(2).packInt(i).packString("x".repeat(size));
      return p.toByteArray();
    }
  }

  private Chunk chunkOf(int records, int entrySize) throws IOException {
    Chunk c = new Chunk("t", pool, 0);
    for (int i = 0; i < records; i++) {
      byte[] e = entry(i, entrySize);
      c.append(e, e.length);
    }
    return c;
  }

  private static byte[] written(Chunk c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.writeTo(out);
    return out.toByteArray();
  }

  @Test
  void halvesHoldTheRecordsInOrderAcrossPageBoundaries() throws IOException {
    Chunk c = chunkOf(7, 300); // entries straddle the 1 KiB pages
    byte[] all = c.toByteArray();
    Chunk[] halves = c.split();
    assertEquals(3, halves[0].records());
    assertEquals(4, halves[1].records());
    byte[] a = written(halves[0]);
    byte[] b = written(halves[1]);
    assertArrayEquals(all, concat(a, b));
    assertArrayEquals(a, halves[0].toByteArray());
    assertArrayEquals(b, halves[1].toByteArray());
    Chunk[] quarters = halves[1].split();
    assertEquals(2, quarters[0].records());
    assertArrayEquals(b, concat(written(quarters[0]), written(quarters[1])));
  }

  @Test
  void pagesGoBackOnlyWhenTheLastHalfIsFreed() throws IOException {
    Chunk c = chunkOf(6, 500);
    long held = pool.usedBytes();
    Chunk[] halves = c.split();
    Chunk[] quarters = halves[0].split();
    halves[1].free();
    quarters[1].free();
    assertEquals(held, pool.usedBytes(), "a half is still in use");
    quarters[0].free();
    quarters[0].free(); // a second free of the same chunk gives nothing back twice
    assertEquals(0, pool.usedBytes());
  }

  @Test
  void aSingleRecordCannotBeSplit() throws IOException {
    Chunk c = chunkOf(1, 10);
    assertThrows(IllegalStateException.class, c::split);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
