package dev.tributary.internal.config;

import dev.tributary.ConfigFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One section of a configuration file ({@code <match app.**>}, {@code <buffer>}, or the file
 * itself): its parameters and its sections, each with the line it was written on.
 *
 * <p>Whoever turns a section into Tributary objects reads the parameters it knows through the
 * typed getters, then calls {@link #checkAllRead()}: a parameter or section nobody read is an
 * error naming its line and word, so a misspelt or unsupported setting is never ignored.
 *
 * <p>Not thread safe: built by {@link ConfigParser} and read by one thread.
 *
 * <pre>{@code
 * ConfigElement buffer = match.section("buffer");
 * long limit = buffer.size("chunk_limit_size", 8L << 20);
 * buffer.checkAllRead();
 * }</pre>
 */
public final class ConfigElement {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(?:i?b)?");
  private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

  private final String name;
  private final String arg;
  private final String source;
  private final int line;
  private final Map<String, Param> params = new LinkedHashMap<>();
  private final List<ConfigElement> sections = new ArrayList<>();
  private boolean read;

  ConfigElement(String name, String arg, String source, int line) {
    this.name = name;
    this.arg = arg;
    this.source = source;
    this.line = line;
  }

  private static final class Param {
    final String value;
    final int line;
    boolean read;

    Param(String value, int line) {
      this.value = value;
      this.line = line;
    }
  }

  /** The directive: {@code match}, {@code filter}, {@code buffer}, …; {@code ROOT} for the file. */
  public String name() {
    return name;
  }

  /** What follows the name inside the brackets ({@code app.**}), or empty. */
  public String arg() {
    return arg;
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  /** How the section is written in the file, for messages: {@code <match app.**>}. */
  public String describe() {
    if (name.equals(ConfigParser.ROOT)) {
      return "the top level";
    }
    return arg.isEmpty() ? "<" + name + ">" : "<" + name + " " + arg + ">";
  }

  void put(String key, String value, int line) {
    if (params.containsKey(key)) {
      throw new ConfigFileException(source, line, key,
          "parameter '" + key + "' given twice in " + describe() + " (first on line " + params.get(key).line + ")");
    }
    params.put(key, new Param(value, line));
  }

  void add(ConfigElement section) {
    sections.add(section);
  }

  /** Whether the parameter is written here (does not count as reading it). */
  public boolean has(String key) {
    return params.containsKey(key);
  }

  /** The parameter's text without marking it read; null when absent. */
  String peek(String key) {
    Param p = params.get(key);
    return p == null ? null : p.value;
  }

  /** The parameter's text, marked read; null when absent. */
  public String get(String key) {
    Param p = params.get(key);
    if (p == null) {
      return null;
    }
    p.read = true;
    return p.value;
  }

  public String get(String key, String otherwise) {
    String v = get(key);
    return v == null ? otherwise : v;
  }

  /** The parameter's text; absent is an error naming the section. */
  public String required(String key) {
    String v = get(key);
    if (v == null) {
      throw new ConfigFileException(source, line, key, describe() + " needs '" + key + "'");
    }
    return v;
  }

  /** {@code @type}, required. */
  public String type() {
    return required("@type");
  }

  /** The line a parameter is written on (the section's line when absent). */
  public int lineOf(String key) {
    Param p = params.get(key);
    return p == null ? line : p.line;
  }

  /** The parameters in file order, all marked read: for sections whose keys are data ({@code <record>}). */
  public Map<String, String> all() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Param> e : params.entrySet()) {
      e.getValue().read = true;
      out.put(e.getKey(), e.getValue().value);
    }
    return out;
  }

  /** The sections of this name, in file order, marked read. */
  public List<ConfigElement> sections(String sectionName) {
    List<ConfigElement> out = new ArrayList<>();
    for (ConfigElement s : sections) {
      if (s.name.equals(sectionName)) {
        s.read = true;
        out.add(s);
      }
    }
    return out;
  }

  /** The one section of this name, or null; two are an error. */
  public ConfigElement section(String sectionName) {
    List<ConfigElement> found = sections(sectionName);
    if (found.size() > 1) {
      ConfigElement second = found.get(1);
      throw new ConfigFileException(source, second.line, sectionName,
          "only one <" + sectionName + "> is allowed in " + describe());
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /** Every section, in file order (not marked read). */
  public List<ConfigElement> sections() {
    return Collections.unmodifiableList(sections);
  }

  /** Marks the section read, for a reader that takes its sections in file order. */
  public void markRead() {
    read = true;
  }

  /**
   * A size: bytes, or a number with {@code k}, {@code m}, {@code g} or {@code t} (powers of 1024,
   * {@code b}/{@code ib} allowed after it), as Fluentd writes {@code chunk_limit_size 8m}.
   */
  public long size(String key, long otherwise) {
    String v = get(key);
    if (v == null) {
      return otherwise;
    }
    Matcher m = SIZE.matcher(v.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw bad(key, v, "a size such as 1024, 256k, 8m or 1g");
    }
    int shift = switch (m.group(2)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    try {
      long n = Long.parseLong(m.group(1));
      if (n > (Long.MAX_VALUE >> shift)) {
        throw bad(key, v, "a size below 8 EiB");
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw bad(key, v, "a size below 8 EiB");
    }
  }

  /**
   * A duration: seconds ({@code 30}, {@code 0.5}) or a number with {@code ms}, {@code s}, {@code m},
   * {@code h} or {@code d}, as Fluentd writes {@code flush_interval 5s}.
   */
  public Duration time(String key, Duration otherwise) {
    String v = get(key);
    if (v == null) {
      return otherwise;
    }
    Matcher m = TIME.matcher(v.trim().toLowerCase(Locale.ROOT));
    if (!m.matches() || m.group(1).length() > 15) {
      throw bad(key, v, "a duration such as 30, 0.5, 500ms, 10s, 5m, 1h or 1d");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double nanos = n * switch (unit) {
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      case "h" -> 3600e9;
      default -> 86400e9;
    };
    if (nanos >= Long.MAX_VALUE) {
      throw bad(key, v, "a duration below 292 years");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** {@code true}/{@code yes} or {@code false}/{@code no}; a key written without a value is true. */
  public boolean bool(String key, boolean otherwise) {
    String v = get(key);
    if (v == null) {
      return otherwise;
    }
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "":
      case "true":
      case "yes":
        return true;
      case "false":
      case "no":
        return false;
      default:
        throw bad(key, v, "true or false");
    }
  }

  public int integer(String key, int otherwise) {
    String v = get(key);
    if (v == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw bad(key, v, "a whole number");
    }
  }

  /**
   * A list: a JSON array of strings ({@code ["a", "b"]}) or comma-separated words ({@code a, b}),
   * as Fluentd's array parameters take either.
   */
  public List<String> list(String key) {
    String v = get(key);
    if (v == null) {
      return List.of();
    }
    String t = v.trim();
    if (t.startsWith("[")) {
      try {
        return JsonText.stringArray(t);
      } catch (IllegalArgumentException e) {
        throw bad(key, v, "a JSON array of strings or comma-separated words (" + e.getMessage() + ")");
      }
    }
    List<String> out = new ArrayList<>();
    for (String part : t.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** An error about one parameter's value, naming its line and the parameter. */
  public ConfigFileException bad(String key, String value, String expected) {
    return new ConfigFileException(source, lineOf(key), key,
        "'" + key + "' in " + describe() + " must be " + expected + ", was '" + value + "'");
  }

  /** An error about this section, naming its line. */
  public ConfigFileException error(String word, String message) {
    return new ConfigFileException(source, line, word, message);
  }

  /**
   * Fails on the first parameter or section of this one that nobody read, naming it, its line and
   * what the section does take.
   *
   * @param known the parameters and sections this kind of section takes, for the message
   */
  public void checkAllRead(String known) {
    for (Map.Entry<String, Param> e : params.entrySet()) {
      if (!e.getValue().read) {
        throw new ConfigFileException(source, e.getValue().line, e.getKey(),
            "unknown parameter '" + e.getKey() + "' in " + describe() + " (known: " + known + ")");
      }
    }
    for (ConfigElement s : sections) {
      if (!s.read) {
        throw new ConfigFileException(source, s.line, s.name,
            "unknown section " + s.describe() + " in " + describe() + " (known: " + known + ")");
      }
    }
  }
}
