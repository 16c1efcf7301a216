package dev.tributary.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ConfigFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {

  private static final UnaryOperator<String> NO_ENV = name -> null;

  private static ConfigElement parse(String text) {
    return ConfigParser.parse(text, "test.conf", null, NO_ENV);
  }

  private static ConfigFileException failure(String text) {
    return assertThrows(ConfigFileException.class, () -> parse(text));
  }

  @Test
  void readsSectionsParametersAndNestingWithTheirLines() {
    ConfigElement root = parse(String.join("\n",
        "# a comment",
        "<filter app.**>",
        "  @type grep",
        "  <regexp>",
        "    key level",
        "    pattern /^(WARN|ERROR)$/",
        "  </regexp>",
        "</filter>",
        "",
        "<match app.** audit.{a,b}>",
        "  @type forward",
        "  <server>",
        "    host 127.0.0.1",
        "    port 24224",
        "  </server>",
        "</match>"));
    ConfigElement filter = root.section("filter");
    assertEquals("app.**", filter.arg());
    assertEquals(2, filter.line());
    assertEquals("grep", filter.type());
    ConfigElement regexp = filter.section("regexp");
    assertEquals("level", regexp.get("key"));
    assertEquals("/^(WARN|ERROR)$/", regexp.get("pattern"));
    assertEquals(6, regexp.lineOf("pattern"));
    ConfigElement match = root.section("match");
    assertEquals("app.** audit.{a,b}", match.arg());
    assertEquals("24224", match.section("server").get("port"));
    assertEquals(14, match.section("server").lineOf("port"));
  }

  @Test
  void unquotedValuesEndAtACommentAfterABlankAndKeepAHashInsideAWord() {
    ConfigElement root = parse("a value with spaces   # comment\nb x#y\nc\nd #only a comment\n");
    assertEquals("value with spaces", root.get("a"));
    assertEquals("x#y", root.get("b"));
    assertEquals("", root.get("c"));
    assertEquals("", root.get("d"));
  }

  @Test
  void quotedValuesTakeEscapesSingleQuotesAreLiteralAndBothMaySpanLines() {
    ConfigElement root = parse("a \"tab\\there \\\"q\\\" # not a comment\"\nb 'C:\\dir\\n ${env:X}'\nc \"two\nlines\"\nd after\n");
    assertEquals("tab\there \"q\" # not a comment", root.get("a"));
    assertEquals("C:\\dir\\n ${env:X}", root.get("b"));
    assertEquals("two\nlines", root.get("c"));
    assertEquals(5, root.lineOf("d"));
  }

  @Test
  void jsonValuesSpanLinesWithCommentsAndAreReadAsLists() {
    ConfigElement root = parse("keys [\"a\",  # first\n  \"b#c\"]\nwords a, b ,c\nnext 1\n");
    assertEquals(List.of("a", "b#c"), root.list("keys"));
    assertEquals(List.of("a", "b", "c"), root.list("words"));
    assertEquals(3, root.lineOf("words"));
  }

  @Test
  void environmentVariablesAreSubstitutedInUnquotedAndDoubleQuotedValues() {
    Map<String, String> env = Map.of("HOST", "agg.local", "PORT", "24224");
    ConfigElement root = ConfigParser.parse(
        "host ${env:HOST}\nurl \"${env:HOST}:${env:PORT}\"\nzone ${env:ZONE:-eu-1}\n", "t.conf", null, env::get);
    assertEquals("agg.local", root.get("host"));
    assertEquals("agg.local:24224", root.get("url"));
    assertEquals("eu-1", root.get("zone"));
  }

  @Test
  void systemPropertiesAreSubstitutedBesideEnvironmentVariables() {
    System.setProperty("tributary.test.port", "24230");
    try {
      ConfigElement root = ConfigParser.parse("port ${sys:tributary.test.port}\nhost ${sys:tributary.test.none:-h}:${env:P}\n",
          "t.conf", null, Map.of("P", "1")::get);
      assertEquals("24230", root.get("port"));
      assertEquals("h:1", root.get("host"));
      ConfigFileException e = assertThrows(ConfigFileException.class,
          () -> ConfigParser.parse("\nport ${sys:tributary.test.none}\n", "t.conf", null, NO_ENV));
      assertEquals(2, e.line());
      assertTrue(e.getMessage().contains("system property tributary.test.none"), e.getMessage());
    } finally {
      System.clearProperty("tributary.test.port");
    }
  }

  @Test
  void anUnsetEnvironmentVariableWithoutFallbackNamesTheVariableAndLine() {
    ConfigFileException e = failure("\nhost ${env:AGGREGATOR_HOST}\n");
    assertEquals(2, e.line());
    assertEquals("AGGREGATOR_HOST", e.word());
    assertTrue(e.getMessage().startsWith("test.conf:2: "), e.getMessage());
  }

  @Test
  void rubyCodeIsRefusedWithTheReplacementNamed() {
    ConfigFileException e = failure("<record>\n  hostname \"#{Socket.gethostname}\"\n</record>\n");
    assertEquals(2, e.line());
    assertEquals("hostname", e.word());
    assertTrue(e.getMessage().contains("${env:NAME}"), e.getMessage());
  }

  @Test
  void structuralMistakesNameLineAndWord() {
    assertError(failure("<match a>\n  @type null\n"), 3, "", "expected </match>");
    assertError(failure("<match a>\n</filter>\n"), 2, "filter", "does not close <match>");
    assertError(failure("</match>\n"), 1, "match", "closes no open section");
    assertError(failure("\n<match a\n</match>\n"), 2, "match", "expected '>'");
    assertError(failure("<match a> extra\n</match>\n"), 1, "extra", "unexpected 'extra'");
    assertError(failure("a \"open\n\n"), 1, "a", "never closed");
    assertError(failure("a [1, 2\n"), 1, "a", "never closed");
    assertError(failure("a \"\\q\"\n"), 1, "a", "unknown escape");
    assertError(failure("a 1\nb 2\na 3\n"), 3, "a", "given twice");
  }

  @Test
  void unreadParametersAndSectionsAreErrorsNamingThem() {
    ConfigElement root = parse("<buffer>\n  chunk_limit_size 8m\n  chunk_limit_sise 9m\n  <weird>\n  </weird>\n</buffer>\n");
    ConfigElement buffer = root.section("buffer");
    assertEquals(8L << 20, buffer.size("chunk_limit_size", 0));
    ConfigFileException e = assertThrows(ConfigFileException.class, () -> buffer.checkAllRead("chunk_limit_size"));
    assertError(e, 3, "chunk_limit_sise", "unknown parameter 'chunk_limit_sise' in <buffer>");
    buffer.get("chunk_limit_sise");
    assertError(assertThrows(ConfigFileException.class, () -> buffer.checkAllRead("chunk_limit_size")),
        4, "weird", "unknown section <weird>");
  }

  @Test
  void typedValuesFollowFluentdForms() {
    ConfigElement root = parse(String.join("\n", "s1 256k", "s2 8m", "s3 1g", "s4 1024", "s5 64MiB",
        "t1 30", "t2 0.5", "t3 500ms", "t4 5m", "t5 1h", "t6 2d", "b1 yes", "b2 false", "b3", "i1 42", ""));
    assertEquals(256L << 10, root.size("s1", 0));
    assertEquals(8L << 20, root.size("s2", 0));
    assertEquals(1L << 30, root.size("s3", 0));
    assertEquals(1024, root.size("s4", 0));
    assertEquals(64L << 20, root.size("s5", 0));
    assertEquals(Duration.ofSeconds(30), root.time("t1", null));
    assertEquals(Duration.ofMillis(500), root.time("t2", null));
    assertEquals(Duration.ofMillis(500), root.time("t3", null));
    assertEquals(Duration.ofMinutes(5), root.time("t4", null));
    assertEquals(Duration.ofHours(1), root.time("t5", null));
    assertEquals(Duration.ofDays(2), root.time("t6", null));
    assertTrue(root.bool("b1", false));
    assertFalse(root.bool("b2", true));
    assertTrue(root.bool("b3", false));
    assertEquals(42, root.integer("i1", 0));
    assertEquals(7, root.integer("absent", 7));
    assertNull(root.get("absent"));
  }

  @Test
  void badTypedValuesNameTheParameterLineAndText() {
    ConfigElement root = parse("\ns 8 megs\nt soon\nb maybe\ni 1.5\nbig 99999999999999999999k\n");
    assertError(assertThrows(ConfigFileException.class, () -> root.size("s", 0)), 2, "s", "'8 megs'");
    assertError(assertThrows(ConfigFileException.class, () -> root.time("t", null)), 3, "t", "'soon'");
    assertError(assertThrows(ConfigFileException.class, () -> root.bool("b", true)), 4, "b", "'maybe'");
    assertError(assertThrows(ConfigFileException.class, () -> root.integer("i", 0)), 5, "i", "'1.5'");
    assertError(assertThrows(ConfigFileException.class, () -> root.size("big", 0)), 6, "big", "below 8 EiB");
  }

  @Test
  void includesReadFilesRelativeToTheIncludingFileInNameOrder(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("main.conf");
    Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(dir.resolve("conf.d/20-b.conf"), "<match b>\n  @type null\n</match>\n");
    Files.writeString(dir.resolve("conf.d/10-a.conf"), "<match a>\n  @type null\n</match>\n");
    Files.writeString(conf, "@include conf.d/*.conf\n<match c>\n  @type stdout\n</match>\n");
    ConfigElement root = ConfigParser.read(conf, NO_ENV);
    List<ConfigElement> matches = root.sections("match");
    assertEquals(List.of("a", "b", "c"), matches.stream().map(ConfigElement::arg).toList());
    assertTrue(matches.get(0).source().endsWith("10-a.conf"));
  }

  @Test
  void anErrorInAnIncludedFileNamesThatFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("bad.conf"), "<match a>\n");
    Files.writeString(dir.resolve("main.conf"), "@include bad.conf\n");
    ConfigFileException e = assertThrows(ConfigFileException.class,
        () -> ConfigParser.read(dir.resolve("main.conf"), NO_ENV));
    assertTrue(e.source().endsWith("bad.conf"), e.source());
    ConfigFileException missing = assertThrows(ConfigFileException.class,
        () -> ConfigParser.parse("@include nowhere.conf\n", "t.conf", dir, NO_ENV));
    assertError(missing, 1, "nowhere.conf", "no file");
  }

  private static void assertError(ConfigFileException e, int line, String word, String fragment) {
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(word, e.word(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
