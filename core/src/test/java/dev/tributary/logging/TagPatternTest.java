package dev.tributary.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Tags;
import org.junit.jupiter.api.Test;

class TagPatternTest {

  @Test
  void aStaticTagIsReturnedAsIs() {
    TagPattern p = TagPattern.parse("app.orders");
    assertSame(p.render("INFO", "x"), p.render("WARN", "y"));
    assertEquals("app.orders", p.render("INFO", "x"));
  }

  @Test
  void loggerAndLevelPlaceholdersInEitherSpelling() {
    assertEquals("app.com.example.Orders.warn", TagPattern.parse("app.{logger}.{level}").render("WARN", "com.example.Orders"));
    assertEquals("app.info", TagPattern.parse("app.${level}").render("INFO", "x"));
  }

  @Test
  void renderedTagsAreCachedPerLoggerAndLevel() {
    TagPattern p = TagPattern.parse("app.{logger}");
    assertSame(p.render("INFO", "a.b"), p.render("INFO", "a.b"));
  }

  @Test
  void loggerNamesAreMadeValidTags() {
    TagPattern p = TagPattern.parse("app.{logger}");
    assertEquals("app.my_logger.x", p.render("INFO", "my logger..x."));
    assertEquals("app.root", p.render("INFO", ""));
    String longTag = p.render("INFO", "x".repeat(600));
    assertEquals(Tags.MAX_LENGTH, longTag.length());
    assertTrue(Tags.isValid(longTag));
  }

  @Test
  void badPatternsNameTheProblem() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TagPattern.parse("app.{thread}"))
        .getMessage().contains("unknown placeholder {thread}"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TagPattern.parse("app.{logger"))
        .getMessage().contains("without '}'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TagPattern.parse("app..x"))
        .getMessage().startsWith("tag: invalid tag"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TagPattern.parse(" "))
        .getMessage().startsWith("tag must not be empty"));
  }
}
