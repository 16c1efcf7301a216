package dev.tributary.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.logging.AsciiText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The string writer's fast paths (ASCII written as read, short strings from the identity cache)
 * produce the bytes msgpack-core's packer produces, for every kind of text and in every order.
 */
class MsgpackBufferStringTest {

  private static byte[] packed(List<String> strings) throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    for (String s : strings) {
      p.packString(s);
    }
    return p.toByteArray();
  }

  private static byte[] written(MsgpackBuffer b, List<String> strings) {
    b.reset();
    for (String s : strings) {
      b.writeString(s);
    }
    return b.toByteArray();
  }

  /** Text of every kind at the lengths where the header or the cache changes. */
  private static List<String> texts() {
    List<String> out = new ArrayList<>();
    // chars whose low byte is ASCII ('\u0141' is 'A' + 0x100): a writer that narrowed chars would pass them
    String[] odd = {"\u00e9", "\u0141", "\u4e41", "\uD83D\uDE00", "\uD800", "\u007f"};
    // from 24 to 16,384 chars the writer encodes a copy in its scratch array, else the string itself
    for (int len : new int[] {0, 1, 23, 24, 31, 32, 61, 62, 63, 64, 65, 99, 255, 256, 1000, 16_384, 16_385}) {
      String ascii = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(500).substring(0, len);
      out.add(ascii);
      if (len == 0) {
        continue;
      }
      for (String c : odd) {
        out.add(c + ascii.substring(1));
        out.add(ascii.substring(0, len / 2) + c + ascii.substring(len / 2 + 1));
        out.add(ascii.substring(0, len - 1) + c);
      }
    }
    return out;
  }

  @Test
  void everyKindOfTextIsWrittenAsMsgpackCorePacksIt() throws IOException {
    List<String> strings = texts();
    MsgpackBuffer b = new MsgpackBuffer(16, true);
    byte[] expected = packed(strings);
    assertArrayEquals(expected, written(b, strings), "first time: the cache is filled");
    assertArrayEquals(expected, written(b, strings), "second time: from the cache where it holds them");
  }

  @Test
  void everyKindOfTextInAStringBuilderOrOtherCharSequenceIsWrittenAsMsgpackCorePacksIt() throws IOException {
    List<String> strings = texts();
    MsgpackBuffer b = new MsgpackBuffer(16, true);
    StringBuilder reused = new StringBuilder();
    for (String s : strings) {
      reused.setLength(0);
      reused.append(s);
      b.reset();
      b.writeCharSequence(reused);
      assertArrayEquals(packed(List.of(s)), b.toByteArray(), "StringBuilder \"" + s + "\"");
      b.reset();
      b.writeCharSequence(java.nio.CharBuffer.wrap(s));
      assertArrayEquals(packed(List.of(s)), b.toByteArray(), "CharBuffer \"" + s + "\"");
    }
  }

  /**
   * ASCII text in an {@link AsciiText} is written as the same text in a String, in both header
   * vocabularies; text with other characters never gets into one.
   */
  @Test
  void asciiTextIsWrittenAsTheSameStringAndOtherTextIsRefused() {
    for (boolean str8 : new boolean[] {true, false}) {
      MsgpackBuffer fromText = new MsgpackBuffer(16, str8);
      MsgpackBuffer fromString = new MsgpackBuffer(16, str8);
      AsciiText text = new AsciiText(16);
      int ascii = 0;
      for (String s : texts()) {
        text.clear();
        boolean isAscii = s.chars().allMatch(c -> c < 0x80);
        assertEquals(isAscii, text.append(s), "appended: \"" + s + "\"");
        if (!isAscii) {
          assertEquals(0, text.length(), "a refused text leaves it as it was");
          continue;
        }
        ascii++;
        fromText.reset();
        fromText.writeCharSequence(text);
        fromString.reset();
        fromString.writeString(s);
        assertArrayEquals(fromString.toByteArray(), fromText.toByteArray(), "str8 " + str8 + ": \"" + s + "\"");
      }
      assertTrue(ascii > 20, "ASCII texts at every length: " + ascii);
    }
  }

  @Test
  void asciiTextPastTheEventLimitIsTooLarge() {
    MsgpackBuffer b = new MsgpackBuffer(16, true);
    b.limit(100);
    AsciiText text = new AsciiText();
    text.append("x".repeat(101));
    assertThrows(EventTooLargeException.class, () -> b.writeCharSequence(text));
    text.truncate(90);
    b.reset();
    b.writeCharSequence(text);
    assertEquals(92, b.toByteArray().length, "str8 header and 90 bytes");
  }

  @Test
  void stringsThatShareACacheSetAreEachWrittenAsThemselvesInAnyOrder() throws IOException {
    // a few hundred distinct instances over 64 sets: every set holds more strings than its two ways
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      pool.add(new String("key-" + i + (i % 3 == 0 ? "-\u00e9" : "")));
    }
    SplittableRandom random = new SplittableRandom(7);
    MsgpackBuffer b = new MsgpackBuffer(16, true);
    for (int round = 0; round < 200; round++) {
      List<String> strings = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        strings.add(pool.get(random.nextInt(round < 100 ? 6 : pool.size()))); // few then many
      }
      assertArrayEquals(packed(strings), written(b, strings), "round " + round);
    }
  }

  @Test
  void anEqualStringThatIsAnotherInstanceIsNotMistakenForOneWithTheSameHash() throws IOException {
    // "Aa" and "BB" have the same hashCode, so they meet in one set
    List<String> strings = List.of("Aa", "BB", new String("Aa"), "BB", "Aa", new String("BB"));
    MsgpackBuffer b = new MsgpackBuffer(16, true);
    assertArrayEquals(packed(strings), written(b, strings));
  }

  @Test
  void aCachedStringNearTheEndOfTheArrayGrowsItAndStaysIntact() throws IOException {
    String key = "logger";
    for (int fill = 0; fill < 80; fill++) {
      MsgpackBuffer b = new MsgpackBuffer(16, true);
      b.writeString(key); // cached
      b.reset();
      List<String> strings = new ArrayList<>();
      strings.add("z".repeat(fill));
      strings.add(key);
      strings.add(key);
      assertArrayEquals(packed(strings), written(b, strings), "after " + fill + " chars");
    }
  }

  @Test
  void theSixFieldRecordEncodesAsMsgpackCorePacksItEveryTime() throws IOException {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("message", "Order 4711 accepted for customer 0815: 3 items, total 99.95 EUR, shipping to"
        + " warehouse B (priority)");
    record.put("level", "INFO");
    record.put("logger", "com.example.shop.OrderService");
    record.put("thread", "http-nio-8080-exec-1");
    record.put("count", 42);
    record.put("duration_ns", 1_234_567_890_123L);
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packArrayHeader(2);
    p.packExtensionTypeHeader((byte) 0, 8);
    p.writePayload(new byte[] {0x65, 0x53, (byte) 0xf1, 0, 7, 0x5b, (byte) 0xcd, 0x15});
    p.packMapHeader(record.size());
    for (Map.Entry<String, Object> e : record.entrySet()) {
      p.packString(e.getKey());
      if (e.getValue() instanceof String) {
        p.packString((String) e.getValue());
      } else {
        p.packLong(((Number) e.getValue()).longValue());
      }
    }
    byte[] expected = p.toByteArray();
    EventEncoder encoder = new EventEncoder(false, false);
    for (int i = 0; i < 3; i++) {
      encoder.encode(1_700_000_000L, 123_456_789, record);
      byte[] actual = new byte[encoder.size()];
      System.arraycopy(encoder.array(), 0, actual, 0, actual.length);
      assertArrayEquals(expected, actual, "encode " + i);
    }
  }
}
