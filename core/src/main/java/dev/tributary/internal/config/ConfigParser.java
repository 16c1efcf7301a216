package dev.tributary.internal.config;

import dev.tributary.ConfigFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads a configuration file written in Fluentd's syntax into a tree of {@link ConfigElement}s.
 *
 * <p>What it takes, as Fluentd's own reader does: sections {@code <name arg>} … {@code </name>};
 * one parameter per line, {@code key value}; values unquoted (to the end of the line, a {@code #}
 * after a space starting a comment), in double quotes (escapes {@code \" \\ \n \t \r}, may span
 * lines), in single quotes (literal), or a JSON array / object that may span lines; a key with no
 * value has the empty value; {@code #} comments; {@code @include} of files relative to the
 * including file ({@code *} globs, in name order).
 *
 * <p>Where it differs, on purpose: Ruby in {@code "#{...}"} is refused (it would run code);
 * {@code ${env:NAME}} stands in, replaced in unquoted and double-quoted values by the environment
 * variable ({@code ${sys:NAME}} by the Java system property), ({@code ${env:NAME:-fallback}} when it may be unset; unset without a fallback is an
 * error). A parameter given twice in one section is an error rather than the last one winning.
 *
 * <p>Every error is a {@link ConfigFileException} naming the file, the line and the word.
 * Stateless between calls; one instance reads one file.
 *
 * <pre>{@code
 * ConfigElement root = ConfigParser.read(Path.of("tributary.conf"), System::getenv);
 * for (ConfigElement match : root.sections("match")) { ... }
 * }</pre>
 */
public final class ConfigParser {

  static final String ROOT = "ROOT";
  private static final int MAX_INCLUDE_DEPTH = 16;

  private final String text;
  private final String source;
  private final Path baseDir;
  private final UnaryOperator<String> env;
  private final int depth;
  private int pos;
  private int line = 1;

  private ConfigParser(String text, String source, Path baseDir, UnaryOperator<String> env, int depth) {
    this.text = text;
    this.source = source;
    this.baseDir = baseDir;
    this.env = env;
    this.depth = depth;
  }

  /** Reads a file; {@code @include}s are resolved against its directory. */
  public static ConfigElement read(Path file, UnaryOperator<String> env) {
    ConfigElement root = new ConfigElement(ROOT, "", file.toString(), 1);
    readInto(root, file, file.toString(), env, 0);
    return root;
  }

  /**
   * Reads text; {@code @include}s are resolved against {@code baseDir} (null: refused).
   *
   * @param source how errors name the text (a file name, {@code classpath:tributary.conf})
   */
  public static ConfigElement parse(String text, String source, Path baseDir, UnaryOperator<String> env) {
    ConfigElement root = new ConfigElement(ROOT, "", source, 1);
    new ConfigParser(text, source, baseDir, env, 0).body(root, null);
    return root;
  }

  private static void readInto(ConfigElement root, Path file, String source, UnaryOperator<String> env, int depth) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigFileException(source, 1, file.toString(), "cannot read " + file + ": " + e);
    }
    Path dir = file.toAbsolutePath().getParent();
    new ConfigParser(text, source, dir, env, depth).body(root, null);
  }

  // ---- structure ----

  private void body(ConfigElement into, String closing) {
    while (true) {
      skipSpacing();
      if (pos >= text.length()) {
        if (closing != null) {
          throw error("", "expected </" + closing + "> before the end of the file (" + into.describe()
              + " opened on line " + into.line() + ")");
        }
        return;
      }
      int at = line;
      if (text.startsWith("</", pos)) {
        pos += 2;
        String name = name();
        skipBlanks();
        expect('>', name);
        lineEnd();
        if (closing == null) {
          throw new ConfigFileException(source, at, name, "</" + name + "> closes no open section");
        }
        if (!name.equals(closing)) {
          throw new ConfigFileException(source, at, name,
              "</" + name + "> does not close <" + closing + "> (opened on line " + into.line() + ")");
        }
        return;
      }
      if (text.charAt(pos) == '<') {
        pos++;
        String name = name();
        int end = text.indexOf('>', pos);
        int eol = lineEndIndex(pos);
        if (end < 0 || end > eol) {
          throw new ConfigFileException(source, at, name, "expected '>' to close <" + name + " on the same line");
        }
        String arg = text.substring(pos, end).trim();
        pos = end + 1;
        lineEnd();
        ConfigElement section = new ConfigElement(name, arg, source, at);
        body(section, name);
        into.add(section);
        continue;
      }
      String key = key();
      if (key.equals("@include")) {
        include(into, at);
        continue;
      }
      skipBlanks();
      String value;
      if (pos >= text.length() || isEol(text.charAt(pos)) || text.charAt(pos) == '#') {
        value = "";
      } else {
        value = value(key);
      }
      lineEnd();
      into.put(key, value, at);
    }
  }

  private void include(ConfigElement into, int at) {
    skipBlanks();
    String target = value("@include").trim();
    lineEnd();
    if (target.isEmpty()) {
      throw new ConfigFileException(source, at, "@include", "@include needs a file");
    }
    if (baseDir == null) {
      throw new ConfigFileException(source, at, target, "@include is only possible in a file on disk");
    }
    if (target.contains("://")) {
      throw new ConfigFileException(source, at, target, "@include takes files only, not URLs");
    }
    if (depth >= MAX_INCLUDE_DEPTH) {
      throw new ConfigFileException(source, at, target, "@include nested deeper than " + MAX_INCLUDE_DEPTH);
    }
    Path pattern = baseDir.resolve(target);
    String fileName = pattern.getFileName().toString();
    List<Path> files = new ArrayList<>();
    if (fileName.contains("*") || fileName.contains("?")) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(pattern.getParent(), fileName)) {
        ds.forEach(files::add);
      } catch (IOException e) {
        throw new ConfigFileException(source, at, target, "cannot list " + pattern.getParent() + ": " + e);
      }
      files.sort(null);
    } else {
      if (!Files.isRegularFile(pattern)) {
        throw new ConfigFileException(source, at, target, "@include: no file " + pattern);
      }
      files.add(pattern);
    }
    for (Path f : files) {
      readInto(into, f, f.toString(), env, depth + 1);
    }
  }

  private String name() {
    int start = pos;
    while (pos < text.length() && isNameChar(text.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      throw error(String.valueOf(pos < text.length() ? text.charAt(pos) : ""), "expected a section name");
    }
    return text.substring(start, pos);
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private String key() {
    char c = text.charAt(pos);
    if (c == '"') {
      pos++;
      return doubleQuoted("key");
    }
    if (c == '\'') {
      pos++;
      return singleQuoted("key");
    }
    int start = pos;
    while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  // ---- values ----

  private String value(String key) {
    char c = text.charAt(pos);
    switch (c) {
      case '"':
        pos++;
        return substituteEnv(doubleQuoted(key), key);
      case '\'':
        pos++;
        return singleQuoted(key);
      case '[':
      case '{':
        return json(key);
      default:
        return substituteEnv(unquoted(), key);
    }
  }

  /** To the end of the line; a {@code #} after a blank starts a comment; trailing blanks dropped. */
  private String unquoted() {
    int eol = lineEndIndex(pos);
    int end = eol;
    for (int i = pos + 1; i < eol; i++) {
      if (text.charAt(i) == '#' && isBlank(text.charAt(i - 1))) {
        end = i;
        break;
      }
    }
    while (end > pos && isBlank(text.charAt(end - 1))) {
      end--;
    }
    String v = text.substring(pos, end);
    pos = end;
    return v;
  }

  private String doubleQuoted(String key) {
    StringBuilder sb = new StringBuilder();
    int startLine = line;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\n') {
        line++;
      }
      if (c == '\\' && pos < text.length()) {
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'f' -> sb.append('\f');
          case 'b' -> sb.append('\b');
          default -> {
            if (Character.isLetterOrDigit(e)) {
              throw error(key, "unknown escape '\\" + e + "' in the value of '" + key + "'");
            }
            sb.append(e);
          }
        }
        continue;
      }
      if (c == '#' && pos < text.length() && text.charAt(pos) == '{') {
        throw error(key, "'" + key + "' holds Ruby code \"#{...}\", which Tributary does not run;"
            + " use ${env:NAME} for an environment variable");
      }
      sb.append(c);
    }
    throw new ConfigFileException(source, startLine, key, "the quoted value of '" + key + "' is never closed");
  }

  private String singleQuoted(String key) {
    StringBuilder sb = new StringBuilder();
    int startLine = line;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '\'') {
        return sb.toString();
      }
      if (c == '\n') {
        line++;
      }
      if (c == '\\' && pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '\\')) {
        c = text.charAt(pos++);
      }
      sb.append(c);
    }
    throw new ConfigFileException(source, startLine, key, "the quoted value of '" + key + "' is never closed");
  }

  /**
   * A JSON array or object, possibly over several lines, up to its matching bracket; a {@code #}
   * outside strings comments out the rest of its line. Kept as text; its reader parses it.
   */
  private String json(String key) {
    int startLine = line;
    StringBuilder sb = new StringBuilder();
    int nesting = 0;
    boolean inString = false;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '\n') {
        line++;
      }
      if (inString) {
        sb.append(c);
        if (c == '\\' && pos < text.length()) {
          sb.append(text.charAt(pos++));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '[', '{' -> nesting++;
        case ']', '}' -> nesting--;
        case '#' -> {
          pos = lineEndIndex(pos);
          continue;
        }
        default -> { }
      }
      sb.append(c);
      if (nesting == 0) {
        return sb.toString();
      }
    }
    throw new ConfigFileException(source, startLine, key, "the JSON value of '" + key + "' is never closed");
  }

  /**
   * Replaces {@code ${env:NAME}} by the environment variable and {@code ${sys:NAME}} by the Java
   * system property, each with an optional {@code :-fallback}; other {@code ${...}} are left for
   * the filters ({@code ${tag}}, {@code ${record["key"]}}).
   */
  private String substituteEnv(String value, String key) {
    int i = nextReference(value, 0);
    if (i < 0) {
      return value;
    }
    StringBuilder sb = new StringBuilder();
    int from = 0;
    while (i >= 0) {
      boolean sys = value.startsWith("${sys:", i);
      String form = sys ? "${sys:" : "${env:";
      int end = value.indexOf('}', i);
      if (end < 0) {
        throw error(key, "'" + key + "' has " + form + " without its closing '}'");
      }
      String ref = value.substring(i + 6, end);
      String name = ref;
      String fallback = null;
      int dash = ref.indexOf(":-");
      if (dash >= 0) {
        name = ref.substring(0, dash);
        fallback = ref.substring(dash + 2);
      }
      String v = name.isEmpty() ? null : sys ? System.getProperty(name) : env.apply(name);
      if (v == null) {
        if (fallback == null) {
          throw error(name, "'" + key + "' names the " + (sys ? "system property " : "environment variable ") + name
              + ", which is not set (write " + form + name + ":-fallback} to allow that)");
        }
        v = fallback;
      }
      sb.append(value, from, i).append(v);
      from = end + 1;
      i = nextReference(value, from);
    }
    return sb.append(value, from, value.length()).toString();
  }

  private static int nextReference(String value, int from) {
    int e = value.indexOf("${env:", from);
    int s = value.indexOf("${sys:", from);
    return e < 0 ? s : s < 0 ? e : Math.min(e, s);
  }

  // ---- spacing ----

  /** Blanks, line ends and comment lines. */
  private void skipSpacing() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
      } else if (isBlank(c) || c == '\r') {
        pos++;
      } else if (c == '#') {
        pos = lineEndIndex(pos);
      } else {
        return;
      }
    }
  }

  private void skipBlanks() {
    while (pos < text.length() && isBlank(text.charAt(pos))) {
      pos++;
    }
  }

  /** Blanks and an optional comment, then the end of the line (or of the file); else an error. */
  private void lineEnd() {
    skipBlanks();
    if (pos < text.length() && text.charAt(pos) == '#') {
      pos = lineEndIndex(pos);
    }
    if (pos < text.length() && text.charAt(pos) == '\r') {
      pos++;
    }
    if (pos >= text.length()) {
      return;
    }
    if (text.charAt(pos) != '\n') {
      int eol = lineEndIndex(pos);
      throw error(text.substring(pos, eol).trim(), "unexpected '" + text.substring(pos, eol).trim()
          + "' after the end of the line's directive");
    }
  }

  private int lineEndIndex(int from) {
    int i = from;
    while (i < text.length() && !isEol(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private void expect(char c, String word) {
    if (pos >= text.length() || text.charAt(pos) != c) {
      throw error(word, "expected '" + c + "' after </" + word);
    }
    pos++;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isEol(char c) {
    return c == '\n' || c == '\r';
  }

  private ConfigFileException error(String word, String message) {
    return new ConfigFileException(source, line, word, message);
  }
}
