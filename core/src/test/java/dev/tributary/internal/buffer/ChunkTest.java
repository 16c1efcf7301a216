package dev.tributary.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A chunk's pages start small and grow; bytes read back exactly across them, and after a split. */
class ChunkTest {

  /** Pages of 1, 1, 2, 2 KiB, then 4 KiB each. */
  private final BufferPool pool = new BufferPool(1024 * 1024, 1024, 4096);

  /** One msgpack value (a str 16) of exactly {@code total} bytes, its payload filled with {@code fill}. */
  private static byte[] record(int total, int fill) {
    byte[] b = new byte[total];
    int n = total - 3;
    b[0] = (byte) 0xda;
    b[1] = (byte) (n >>> 8);
    b[2] = (byte) n;
    Arrays.fill(b, 3, total, (byte) fill);
    return b;
  }

  private Chunk chunkOf(int... sizes) {
    Chunk c = new Chunk("t", pool, 0);
    for (int i = 0; i < sizes.length; i++) {
      assertTrue(c.append(record(sizes[i], i + 1), sizes[i]));
    }
    return c;
  }

  private static byte[] concat(int... sizes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < sizes.length; i++) {
      out.writeBytes(record(sizes[i], i + 1));
    }
    return out.toByteArray();
  }

  private static byte[] written(Chunk c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.writeTo(out);
    return out.toByteArray();
  }

  @Test
  void oneSmallRecordHoldsOnlyTheSmallestPage() {
    Chunk c = chunkOf(200);
    assertEquals(1024, c.capacity());
    assertEquals(1024, pool.usedBytes());
  }

  @Test
  void pagesGrowWithTheChunkAndRecordsSpanThem() throws IOException {
    int[] sizes = {700, 700, 2500, 5000, 300};
    Chunk c = chunkOf(sizes);
    // 9200 bytes: 1 + 1 + 2 + 2 + 4 KiB
    assertEquals(10 * 1024, c.capacity());
    assertEquals(10 * 1024, pool.usedBytes());
    assertEquals(9200, c.size());
    assertEquals(5, c.records());
    assertArrayEquals(concat(sizes), c.toByteArray());
    assertArrayEquals(concat(sizes), written(c));
    c.free();
    assertEquals(0, pool.usedBytes());
  }

  @Test
  void aRecordThatFindsNoMemoryTakesNoPages() {
    BufferPool small = new BufferPool(4096, 1024, 4096);
    Chunk c = new Chunk("t", small, 0);
    assertTrue(c.append(record(1000, 1), 1000));
    // needs 1 + 2 + 2 KiB more, only 3 KiB are left
    assertFalse(c.append(record(3200, 2), 3200));
    assertEquals(1024, small.usedBytes());
    assertEquals(1024, c.capacity());
    assertEquals(1, c.records());
    assertTrue(c.append(record(2000, 3), 2000), "1 + 2 KiB fit");
    assertEquals(4096, small.usedBytes());
    assertArrayEquals(concat(1000), Arrays.copyOf(c.toByteArray(), 1000));
    c.free();
    assertEquals(0, small.usedBytes());
  }

  @Test
  void splitInsideTheSmallFirstPageKeepsBothHalvesExact() throws IOException {
    // cut after 600 bytes, inside the first 1 KiB page; the second half runs on over 1, 2 and 4 KiB pages
    int[] sizes = {300, 300, 3000, 5000};
    assertSplitsExactly(sizes, true);
    assertSplitsExactly(sizes, false);
  }

  @Test
  void splitInsideALargePageKeepsBothHalvesExact() throws IOException {
    // cut after 6500 bytes, inside the first 4 KiB page (bytes 6144..10240)
    int[] sizes = {3000, 3500, 100, 3000};
    assertSplitsExactly(sizes, true);
    assertSplitsExactly(sizes, false);
  }

  private void assertSplitsExactly(int[] sizes, boolean firstHalfFreedFirst) throws IOException {
    Chunk c = chunkOf(sizes);
    byte[] all = concat(sizes);
    int cut = sizes[0] + sizes[1];
    Chunk[] halves = c.split();
    assertEquals(2, halves[0].records());
    assertEquals(2, halves[1].records());
    byte[] first = Arrays.copyOfRange(all, 0, cut);
    byte[] second = Arrays.copyOfRange(all, cut, all.length);
    assertArrayEquals(first, halves[0].toByteArray());
    assertArrayEquals(first, written(halves[0]));
    assertArrayEquals(second, halves[1].toByteArray());
    assertArrayEquals(second, written(halves[1]));

    long held = pool.usedBytes();
    halves[firstHalfFreedFirst ? 0 : 1].free();
    assertEquals(held, pool.usedBytes(), "the other half still reads the shared pages");
    assertArrayEquals(firstHalfFreedFirst ? second : first, halves[firstHalfFreedFirst ? 1 : 0].toByteArray());
    halves[firstHalfFreedFirst ? 1 : 0].free();
    assertEquals(0, pool.usedBytes());
  }

  @Test
  void aHalfSplitAgainReadsFromItsOwnStartAndThePagesComeBackOnce() throws IOException {
    int[] sizes = {300, 300, 3000, 5000};
    byte[] all = concat(sizes);
    Chunk[] halves = chunkOf(sizes).split();
    Chunk[] quarters = halves[1].split();
    assertArrayEquals(Arrays.copyOfRange(all, 600, 3600), written(quarters[0]));
    assertArrayEquals(Arrays.copyOfRange(all, 3600, all.length), written(quarters[1]));
    quarters[1].free();
    halves[0].free();
    assertEquals(10 * 1024, pool.usedBytes());
    quarters[0].free();
    assertEquals(0, pool.usedBytes());
  }
}
