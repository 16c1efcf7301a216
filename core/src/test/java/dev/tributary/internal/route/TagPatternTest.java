package dev.tributary.internal.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Fluentd's {@code <match>} pattern forms, each taking exactly the tags Fluentd's would. */
class TagPatternTest {

  private static void takes(String pattern, String... tags) {
    TagPattern p = TagPattern.compile(pattern);
    for (String t : tags) {
      assertTrue(p.matches(t), pattern + " should take " + t);
    }
  }

  private static void refuses(String pattern, String... tags) {
    TagPattern p = TagPattern.compile(pattern);
    for (String t : tags) {
      assertFalse(p.matches(t), pattern + " should not take " + t);
    }
  }

  @Test
  void anExactPatternTakesOnlyThatTag() {
    takes("app.orders", "app.orders");
    refuses("app.orders", "app", "app.orders.x", "x.app.orders", "app_orders", "appXorders", "app.order");
  }

  @Test
  void aDotIsLiteralNotAnyCharacter() {
    refuses("a.b", "aXb", "a-b");
  }

  @Test
  void oneStarIsOnePartAndNeverCrossesADot() {
    takes("app.*", "app.web", "app.x");
    refuses("app.*", "app", "app.web.1", "apps.web");
    takes("*.access", "web.access");
    refuses("*.access", "access", "a.b.access");
    takes("*", "app");
    refuses("*", "app.web");
  }

  @Test
  void oneStarMayBePartOfAPart() {
    takes("app.web*", "app.web", "app.web1", "app.webserver");
    refuses("app.web*", "app.we", "app.web.1");
    takes("app.*-log", "app.x-log", "app.-log");
  }

  @Test
  void twoStarsAloneTakeEveryTag() {
    TagPattern all = TagPattern.compile("**");
    assertTrue(all.matchesAll());
    takes("**", "a", "a.b", "a.b.c.d");
  }

  @Test
  void twoStarsAfterADotAreZeroOrMoreParts() {
    takes("app.**", "app", "app.web", "app.web.access.1");
    refuses("app.**", "apple", "apps.web", "x.app");
  }

  @Test
  void twoStarsBeforeADotAreZeroOrMoreParts() {
    takes("**.error", "error", "app.error", "a.b.c.error");
    refuses("**.error", "errors", "app.error.x", "apperror");
  }

  @Test
  void twoStarsBetweenPartsAreZeroOrMoreParts() {
    takes("a.**.z", "a.z", "a.b.z", "a.b.c.z");
    refuses("a.**.z", "az", "a.bz", "ab.z", "a.z.b");
  }

  @Test
  void bracesAreAlternativesAndEachIsAPattern() {
    takes("app.{web,api}", "app.web", "app.api");
    refuses("app.{web,api}", "app.db", "app.web.1", "app");
    takes("{app.*,sys.**}", "app.web", "sys", "sys.kernel.oom");
    refuses("{app.*,sys.**}", "app.web.1", "system");
    takes("app.{web,api}.**", "app.web", "app.api.v1.get");
  }

  @Test
  void bracesNestAndAnUnclosedBraceEndsWithThePattern() {
    takes("a.{b,{c,d}.e}", "a.b", "a.c.e", "a.d.e");
    refuses("a.{b,{c,d}.e}", "a.c", "a.b.e");
    takes("a.{b,c", "a.b", "a.c");
  }

  @Test
  void aCommaOrClosingBraceOutsideBracesIsLiteral() {
    takes("a,b", "a,b");
    refuses("a,b", "a", "b");
    takes("a}", "a}");
  }

  @Test
  void aBackslashMakesTheNextCharacterLiteral() {
    takes("a\\*", "a*");
    refuses("a\\*", "ab");
    takes("a\\{b,c\\}", "a{b,c}");
  }

  @Test
  void spaceSeparatedPatternsAreAlternatives() {
    takes("app.** sys.*", "app", "app.x.y", "sys.kernel");
    refuses("app.** sys.*", "sys", "other");
    assertTrue(TagPattern.compile("x  **").matchesAll(), "** among alternatives takes every tag");
  }

  @Test
  void regularExpressionCharactersAreLiteral() {
    takes("a+b.c(d)", "a+b.c(d)");
    refuses("a+b", "aab");
    takes("a$.^b", "a$.^b");
  }

  @Test
  void anEmptyPatternIsRefusedByName() {
    assertEquals("match pattern must not be empty, was \"  \"",
        assertThrows(IllegalArgumentException.class, () -> TagPattern.compile("  ")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> TagPattern.compile(null));
  }
}
