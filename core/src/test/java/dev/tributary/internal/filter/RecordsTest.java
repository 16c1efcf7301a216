package dev.tributary.internal.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.tributary.internal.codec.EventEncoder;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordsTest {

  @Test
  void aCopyIsMutableAtEveryLevelAndLeavesTheOriginalAlone() {
    Map<String, Object> original = Map.of("user", Map.of("id", 7, "roles", List.of("a")));
    Map<String, Object> copy = Records.copy(original);
    @SuppressWarnings("unchecked")
    Map<String, Object> user = (Map<String, Object>) copy.get("user");
    user.put("id", 8);
    assertEquals(7, ((Map<?, ?>) original.get("user")).get("id"));
    assertNotSame(original.get("user"), user);
  }

  @Test
  void aCyclicRecordIsCopiedToTheEncodersDepthAndNoFurther() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("self", a);
    Map<String, Object> copy = Records.copy(a);
    EventEncoder enc = new EventEncoder(false, false);
    enc.encode(1, 0, copy); // ends: the depth marker, not a stack overflow
    assertEquals(1, enc.replacedValues());
  }

  @Test
  void decodingTheEncodingGivesTheSameBytesAgain() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("s", "text é");
    r.put("i", 42);
    r.put("neg", -100_000);
    r.put("l", 1L << 40);
    r.put("big", new BigInteger("18446744073709551615"));
    r.put("d", 9.99);
    r.put("f", 0.5f);
    r.put("b", true);
    r.put("n", null);
    r.put("bin", new byte[] {1, 2});
    r.put("m", Map.of("k", List.of(1, "x")));
    r.put("long", "x".repeat(70_000));
    EventEncoder enc = new EventEncoder(false, false);
    enc.encode(1_700_000_000L, 5, r);
    byte[] first = Arrays.copyOf(enc.array(), enc.size());
    Map<String, Object> back = RecordDecoder.decodeMap(first, 11);
    assertEquals(1_700_000_000L, RecordDecoder.seconds(first, 1));
    assertEquals(5, RecordDecoder.nanos(first, 1));
    enc.encode(1_700_000_000L, 5, back);
    assertArrayEquals(first, Arrays.copyOf(enc.array(), enc.size()));
  }
}
