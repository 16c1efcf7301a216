package dev.tributary.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Entries as the encoder writes them become one JSON object a line, with their types kept. */
class JsonLinesTest {

  private static byte[] entries(boolean timeAsInteger, long seconds, int nanos, Map<String, ?>... records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EventEncoder enc = new EventEncoder(timeAsInteger, false, 1 << 16);
    for (Map<String, ?> r : records) {
      enc.encode(seconds, nanos, r);
      out.write(enc.array(), 0, enc.size());
    }
    return out.toByteArray();
  }

  private static String render(String tag, byte[] entries) throws Exception {
    JsonLines json = new JsonLines();
    json.render(tag, entries, entries.length);
    return new String(Arrays.copyOf(json.array(), json.size()), StandardCharsets.UTF_8);
  }

  @Test
  void anEventIsOneLineWithNanosecondTimeTagAndTypedRecord() throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", 42);
    r.put("big", 1L << 40);
    r.put("amount", 9.99);
    r.put("paid", true);
    r.put("note", null);
    r.put("text", "say \"hi\"\n\tünïcode");
    r.put("user", Map.of("id", 7));
    r.put("items", List.of("book", 3, 1.5));
    assertEquals("{\"time\":\"2026-12-01T07:00:00.123456789Z\",\"tag\":\"app.orders\",\"record\":"
        + "{\"id\":42,\"big\":1099511627776,\"amount\":9.99,\"paid\":true,\"note\":null,"
        + "\"text\":\"say \\\"hi\\\"\\n\\tünïcode\",\"user\":{\"id\":7},\"items\":[\"book\",3,1.5]}}\n",
        render("app.orders", entries(false, 1796108400L, 123_456_789, r)));
  }

  @Test
  void everyEventOfAChunkIsALineOfItsOwn() throws Exception {
    assertEquals("{\"time\":\"2026-12-01T07:00:00.000000001Z\",\"tag\":\"t\",\"record\":{\"n\":1}}\n"
        + "{\"time\":\"2026-12-01T07:00:00.000000001Z\",\"tag\":\"t\",\"record\":{\"n\":2}}\n",
        render("t", entries(false, 1796108400L, 1, Map.of("n", 1), Map.of("n", 2))));
  }

  @Test
  void anIntegerTimeHasNineZeroDigits() throws Exception {
    assertEquals("{\"time\":\"2026-12-01T07:00:00.000000000Z\",\"tag\":\"t\",\"record\":{}}\n",
        render("t", entries(true, 1796108400L, 999, Map.of())));
  }

  @Test
  void unsignedBeyondLongBinaryAndNonFiniteFloatsHaveAForm() throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("u64", new BigInteger("18446744073709551615"));
    r.put("bytes", new byte[] {1, 2, 3});
    r.put("nan", Double.NaN);
    r.put("inf", Double.NEGATIVE_INFINITY);
    r.put("f", 1.5f);
    assertEquals("{\"time\":\"1970-01-01T00:00:00.000000000Z\",\"tag\":\"t\",\"record\":"
        + "{\"u64\":18446744073709551615,\"bytes\":\"AQID\",\"nan\":\"NaN\",\"inf\":\"-Infinity\",\"f\":1.5}}\n",
        render("t", entries(false, 0, 0, r)));
  }

  @Test
  void aBufferReusedForASmallerChunkHoldsOnlyThatChunk() throws Exception {
    JsonLines json = new JsonLines();
    byte[] big = entries(false, 0, 0, Map.of("s", "x".repeat(20_000)));
    json.render("t", big, big.length);
    byte[] small = entries(false, 0, 0, Map.of("n", 1));
    json.render("t", small, small.length);
    assertEquals("{\"time\":\"1970-01-01T00:00:00.000000000Z\",\"tag\":\"t\",\"record\":{\"n\":1}}\n",
        new String(json.array(), 0, json.size(), StandardCharsets.UTF_8));
  }
}
