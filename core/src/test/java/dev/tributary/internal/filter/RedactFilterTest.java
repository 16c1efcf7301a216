package dev.tributary.internal.filter;

import static dev.tributary.internal.filter.FilterEvents.event;
import static dev.tributary.internal.filter.FilterEvents.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Filter;
import dev.tributary.Filters;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactFilterTest {

  @Test
  void masksValuesByKeyNameAnywhereInMapsAndListsIgnoringCase() {
    Filter f = Filters.redact().keys("password", "token", "authorization").build();
    Filter.Event e = event("t", "password", "hunter2", "count", 3,
        "http", map("headers", map("Authorization", "Bearer abc", "Accept", "*/*")),
        "users", List.of(map("name", "ada", "Token", 12345)));
    assertTrue(f.filter(e));
    assertEquals("****", e.record().get("password"));
    assertEquals(3, e.record().get("count"));
    assertEquals(map("headers", map("Authorization", "****", "Accept", "*/*")), e.record().get("http"));
    assertEquals(List.of(map("name", "ada", "Token", "****")), e.record().get("users"));
  }

  @Test
  void emailAddressesKeepTheirDomain() {
    Filter f = Filters.redact().build();
    Filter.Event e = event("t", "message", "mail ada.lovelace+x@example.co.uk and bob@test.org now",
        "nested", List.of("to: c@d.io"));
    f.filter(e);
    assertEquals("mail ****@example.co.uk and ****@test.org now", e.record().get("message"));
    assertEquals(List.of("to: ****@d.io"), e.record().get("nested"));
  }

  @Test
  void cardNumbersThatPassLuhnKeepTheirLastFourDigits() {
    Filter f = Filters.redact().build();
    Filter.Event e = event("t",
        "a", "card 4111 1111 1111 1111 ok",
        "b", "4111-1111-1111-1111",
        "c", "5500005555555559",
        "d", "order 1234567890123 is not a card (Luhn fails)",
        "e", "too short 411111111111");
    f.filter(e);
    assertEquals("card **** **** **** 1111 ok", e.record().get("a"));
    assertEquals("****-****-****-1111", e.record().get("b"));
    assertEquals("************5559", e.record().get("c"));
    assertEquals("order 1234567890123 is not a card (Luhn fails)", e.record().get("d"));
    assertEquals("too short 411111111111", e.record().get("e"));
  }

  @Test
  void customPatternsAndMask() {
    Filter f = Filters.redact().email(false).cardNumbers(false).pattern("sk_live_[A-Za-z0-9]+").mask("[redacted]").build();
    Filter.Event e = event("t", "message", "key sk_live_abc123 used by a@b.com");
    f.filter(e);
    assertEquals("key [redacted] used by a@b.com", e.record().get("message"));
  }

  @Test
  void stringsWithNothingToMaskAreLeftAsTheyAre() {
    RedactFilter f = (RedactFilter) Filters.redact().build();
    String s = "Order 4711 accepted for customer 0815: 3 items";
    assertSame(s, f.redactString(s));
  }

  @Test
  void onErrorDropsByDefaultSoNothingLeavesUnmasked() {
    assertEquals(Filter.OnError.DROP, Filters.redact().keys("password").build().onError());
    assertEquals(Filter.OnError.KEEP,
        Filters.redact().keys("password").param("on_error", "keep").build().onError());
  }

  @Test
  void fromParameters() {
    Filter f = Filters.of("redact", java.util.Map.of("keys", "password, secret", "email", "false", "mask", "x"));
    Filter.Event e = event("t", "secret", "s", "message", "a@b.com");
    f.filter(e);
    assertEquals("x", e.record().get("secret"));
    assertEquals("a@b.com", e.record().get("message"));
  }

  /**
   * The quick look for a card number never misses one: on random text of digits, spaces, dashes and
   * letters it agrees with reading every character, at every length and offset.
   */
  @Test
  void theQuickLookForACardNeverMissesARunOfThirteenDigits() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    String alphabet = "0123456789  --ab";
    for (int round = 0; round < 200_000; round++) {
      int n = random.nextInt(60);
      StringBuilder sb = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        sb.append(alphabet.charAt(random.nextInt(round % 3 == 0 ? 12 : alphabet.length())));
      }
      String s = sb.toString();
      assertEquals(slowMayHoldCard(s), RedactFilter.mayHoldCard(s), s);
    }
    assertTrue(RedactFilter.mayHoldCard("paid with 4111 1111 1111 1111 today"));
    assertTrue(RedactFilter.mayHoldCard("4111111111111"));
    assertEquals(false, RedactFilter.mayHoldCard("Order 4711 accepted for customer 0815: 3 items, total 99.95 EUR"));
  }

  /** A run of digits, spaces and dashes holding at least 13 digits, found by reading every character. */
  private static boolean slowMayHoldCard(String s) {
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digits >= 13) {
          return true;
        }
      } else if (c != ' ' && c != '-') {
        digits = 0;
      }
    }
    return false;
  }
}
