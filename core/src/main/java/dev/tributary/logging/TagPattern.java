package dev.tributary.logging;

import dev.tributary.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code tag} option: a static tag ({@code app.orders}) or a pattern with {@code {logger}}
 * (the logger name) and {@code {level}} (the level in lower case), such as {@code app.{logger}}
 * or {@code app.{level}}. {@code ${logger}} and {@code ${level}} are accepted as well, but logback
 * and log4j2 substitute {@code ${...}} in their configuration files themselves. The result always passes {@link Tags#check}: whitespace and control
 * characters in logger names become {@code _}, empty parts are dropped, an empty logger name
 * becomes {@code root}, and a tag longer than {@link Tags#MAX_LENGTH} is cut.
 *
 * <p>Thread safe. Rendered tags are cached per logger and level (up to {@value #CACHE_LIMIT}
 * entries; beyond that they are built per event), so the common path allocates nothing.
 *
 * <pre>{@code
 * TagPattern p = TagPattern.parse("app.{logger}");
 * p.render("INFO", "com.example.Orders"); // "app.com.example.Orders"
 * }</pre>
 */
public final class TagPattern {

  static final int CACHE_LIMIT = 4096;
  private static final String LOGGER = "{logger}";
  private static final String LEVEL = "{level}";

  private final String pattern;
  /** Literal parts and placeholders in order; placeholders are the constants above (by identity). */
  private final String[] parts;
  private final String fixed;
  private final boolean usesLogger;
  private final boolean usesLevel;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> cache = new ConcurrentHashMap<>();

  private TagPattern(String pattern, String[] parts, boolean usesLogger, boolean usesLevel) {
    this.pattern = pattern;
    this.parts = parts;
    this.usesLogger = usesLogger;
    this.usesLevel = usesLevel;
    this.fixed = usesLogger || usesLevel ? null : pattern;
  }

  /**
   * @throws IllegalArgumentException if the pattern names an unknown placeholder, or is a static
   *     tag that {@link Tags} rejects, naming the option {@code tag}
   */
  public static TagPattern parse(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("tag must not be empty");
    }
    String p = pattern.trim();
    List<String> parts = new ArrayList<>();
    boolean logger = false;
    boolean level = false;
    int i = 0;
    while (i < p.length()) {
      int open = p.indexOf('{', i);
      if (open < 0) {
        parts.add(p.substring(i));
        break;
      }
      // "${logger}" is accepted too, where the framework does not substitute it itself
      int start = open > i && p.charAt(open - 1) == '$' ? open - 1 : open;
      if (start > i) {
        parts.add(p.substring(i, start));
      }
      int close = p.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("tag \"" + p + "\" has a '{' without '}'; placeholders are {logger}, {level}");
      }
      String name = p.substring(open + 1, close);
      if (name.equals("logger")) {
        parts.add(LOGGER);
        logger = true;
      } else if (name.equals("level")) {
        parts.add(LEVEL);
        level = true;
      } else {
        throw new IllegalArgumentException("tag \"" + p + "\" has an unknown placeholder "
            + p.substring(start, close + 1) + "; known: {logger}, {level}");
      }
      i = close + 1;
    }
    if (!logger && !level) {
      try {
        Tags.check(p);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tag: " + e.getMessage(), e);
      }
    }
    return new TagPattern(p, parts.toArray(new String[0]), logger, level);
  }

  /** The tag for an event of {@code level} from {@code logger}. */
  public String render(String level, String logger) {
    if (fixed != null) {
      return fixed;
    }
    String levelKey = usesLevel && level != null ? level : "";
    String loggerKey = usesLogger && logger != null ? logger : "";
    ConcurrentHashMap<String, String> byLogger = cache.get(levelKey);
    if (byLogger == null) {
      if (cache.size() >= 64) {
        return build(levelKey, loggerKey);
      }
      byLogger = cache.computeIfAbsent(levelKey, k -> new ConcurrentHashMap<>());
    }
    String tag = byLogger.get(loggerKey);
    if (tag == null) {
      tag = build(levelKey, loggerKey);
      if (byLogger.size() < CACHE_LIMIT) {
        byLogger.putIfAbsent(loggerKey, tag);
      }
    }
    return tag;
  }

  /** The pattern as configured. */
  @Override
  public String toString() {
    return pattern;
  }

  private String build(String level, String logger) {
    StringBuilder sb = new StringBuilder(64);
    for (String part : parts) {
      if (part == LOGGER) {
        sb.append(logger.isEmpty() ? "root" : logger);
      } else if (part == LEVEL) {
        sb.append(level.isEmpty() ? "unknown" : level.toLowerCase(Locale.ROOT));
      } else {
        sb.append(part);
      }
    }
    return sanitize(sb);
  }

  /** Makes any text a valid tag: no whitespace or control characters, no empty parts, not too long. */
  static String sanitize(CharSequence raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '.') {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '.') {
          out.append('.');
        }
      } else if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        out.append('_');
      } else {
        out.append(c);
      }
    }
    if (out.length() > Tags.MAX_LENGTH) {
      out.setLength(Tags.MAX_LENGTH);
    }
    while (out.length() > 0 && out.charAt(out.length() - 1) == '.') {
      out.setLength(out.length() - 1);
    }
    if (out.length() > 0 && Character.isHighSurrogate(out.charAt(out.length() - 1))) {
      out.setLength(out.length() - 1);
    }
    return out.length() == 0 ? "root" : out.toString();
  }
}
