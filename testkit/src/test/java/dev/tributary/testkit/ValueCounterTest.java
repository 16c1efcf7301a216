package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/** The header walk of count-only servers counts exactly what msgpack-core's skip counts. */
class ValueCounterTest {

  /** Every msgpack format, each at the edges of its lengths, as one value per element. */
  private static List<byte[]> everyFormat() throws IOException {
    List<byte[]> values = new ArrayList<>();
    for (long n : new long[] {0, 127, 128, 255, 256, 65535, 65536, 0xFFFF_FFFFL, 0x1_0000_0000L,
        Long.MAX_VALUE, -1, -32, -33, -128, -129, -32768, -32769, Integer.MIN_VALUE, Long.MIN_VALUE}) {
      values.add(pack(p -> p.packLong(n)));
    }
    values.add(pack(p -> p.packBigInteger(new java.math.BigInteger("18446744073709551615"))));
    values.add(pack(MessageBufferPacker::packNil));
    values.add(pack(p -> p.packBoolean(true)));
    values.add(pack(p -> p.packBoolean(false)));
    values.add(pack(p -> p.packFloat(1.5f)));
    values.add(pack(p -> p.packDouble(-2.25)));
    for (int len : new int[] {0, 1, 31, 32, 255, 256, 65535, 65536}) {
      String s = "x".repeat(len);
      values.add(pack(p -> p.packString(s)));
      values.add(pack(p -> p.packBinaryHeader(len).writePayload(new byte[len])));
    }
    for (int len : new int[] {1, 2, 4, 8, 16, 0, 3, 255, 256, 65536}) {
      values.add(pack(p -> p.packExtensionTypeHeader((byte) 7, len).writePayload(new byte[len])));
    }
    for (int n : new int[] {0, 15, 16, 65536}) {
      values.add(pack(p -> {
        p.packArrayHeader(n);
        for (int i = 0; i < n; i++) {
          p.packInt(i);
        }
      }));
      values.add(pack(p -> {
        p.packMapHeader(n);
        for (int i = 0; i < n; i++) {
          p.packString("k" + i).packArrayHeader(1).packMapHeader(0);
        }
      }));
    }
    // an entry as clients send them: [EventTime, record]
    values.add(pack(p -> p.packArrayHeader(2).packExtensionTypeHeader((byte) 0, 8).writePayload(new byte[8])
        .packMapHeader(2).packString("message").packString("hello").packString("n").packInt(42)));
    return values;
  }

  private static byte[] concat(List<byte[]> values) {
    int n = values.stream().mapToInt(v -> v.length).sum();
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] v : values) {
      System.arraycopy(v, 0, all, at, v.length);
      at += v.length;
    }
    return all;
  }

  /** What msgpack-core counts in the same bytes, skipping value by value. */
  private static long skipCount(byte[] b, int from, int to) throws IOException {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b, from, to - from)) {
      long n = 0;
      while (u.hasNext()) {
        u.skipValue();
        n++;
      }
      return n;
    }
  }

  @Test
  void countsEveryFormatAsMsgpackCoreSkipsIt() throws IOException {
    List<byte[]> values = everyFormat();
    for (byte[] v : values) {
      assertEquals(1, ValueCounter.count(v, 0, v.length), () -> "one value: " + hex(v));
    }
    byte[] all = concat(values);
    assertEquals(values.size(), ValueCounter.count(all, 0, all.length));
    assertEquals(skipCount(all, 0, all.length), ValueCounter.count(all, 0, all.length));
    // a range that starts inside an array, not at its start
    byte[] padded = new byte[all.length + 10];
    System.arraycopy(all, 0, padded, 7, all.length);
    assertEquals(values.size(), ValueCounter.count(padded, 7, 7 + all.length));
  }

  @Test
  void aRangeThatEndsInsideAValueIsRefusedWhereverItIsCut() throws IOException {
    Random random = new Random(7);
    List<byte[]> values = everyFormat();
    for (int round = 0; round < 200; round++) {
      List<byte[]> some = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(6); i++) {
        some.add(values.get(random.nextInt(values.size())));
      }
      byte[] all = concat(some);
      int cut = random.nextInt(all.length);
      int boundary = 0;
      long whole = 0;
      while (whole < some.size() && boundary + some.get((int) whole).length <= cut) {
        boundary += some.get((int) whole).length;
        whole++;
      }
      if (boundary == cut) {
        assertEquals(whole, ValueCounter.count(all, 0, cut), "cut between values at " + cut);
      } else {
        long counted = whole;
        ProtocolException e = assertThrows(ProtocolException.class, () -> ValueCounter.count(all, 0, cut),
            () -> "cut inside value " + counted + " at " + cut);
        assertTrue(e.getMessage().contains("after " + whole + " whole"), e.getMessage());
      }
    }
  }

  @Test
  void theByteMsgpackNeverUsesIsRefused() throws IOException {
    byte[] b = concat(List.of(pack(p -> p.packInt(1)), new byte[] {(byte) 0x91, (byte) 0xc1}));
    ProtocolException e = assertThrows(ProtocolException.class, () -> ValueCounter.count(b, 0, b.length));
    assertTrue(e.getMessage().contains("0xc1") && e.getMessage().contains("offset 2"), e.getMessage());
  }

  @Test
  void nothingIsNoValues() throws ProtocolException {
    assertEquals(0, ValueCounter.count(new byte[4], 2, 2));
  }

  private interface Packing {
    void pack(MessageBufferPacker p) throws IOException;
  }

  private static byte[] pack(Packing packing) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      packing.pack(p);
      return p.toByteArray();
    }
  }

  private static String hex(byte[] v) {
    return Arrays.toString(Arrays.copyOf(v, Math.min(v.length, 8)));
  }
}
