package dev.tributary.internal.filter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Regular expressions as Fluentd and Fluent Bit configurations write them. Stateless. */
final class Patterns {

  private Patterns() {}

  /**
   * {@code ^ERROR}, or with Fluentd's slashes {@code /^ERROR/}, {@code /error/i} (flags {@code i},
   * {@code m}, {@code x}).
   *
   * @throws IllegalArgumentException naming {@code option} and the pattern when it does not compile
   */
  static Pattern compile(String option, String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(option + ": the pattern must not be empty");
    }
    String body = text;
    int flags = 0;
    int last = text.lastIndexOf('/');
    if (text.length() >= 2 && text.charAt(0) == '/' && last > 0 && text.substring(last + 1).matches("[imx]*")) {
      body = text.substring(1, last);
      for (char c : text.substring(last + 1).toCharArray()) {
        flags |= c == 'i' ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : c == 'm' ? Pattern.DOTALL : Pattern.COMMENTS;
      }
    }
    try {
      return Pattern.compile(body, flags);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(option + ": \"" + text + "\" is not a valid pattern: " + e.getDescription(), e);
    }
  }

  /** {@code ^word$}, {@code ^(a|b|c)$}, {@code ^(?:a|b)$}: words of letters, digits and underscores. */
  private static final Pattern WHOLE_WORDS =
      Pattern.compile("\\^(?:\\((?:\\?:)?(\\w+(?:\\|\\w+)*)\\)|(\\w+))\\$");

  /**
   * The words {@code p} matches when it is one of them, whole, from start to end and nothing else
   * ({@code ^(INFO|WARN|ERROR)$}, without flags), so a match is a comparison; else null. Such a
   * pattern also matches a word followed by one line break at the very end ({@code $} allows
   * one): {@link #endsWithLineBreak} says when to leave a value to the pattern.
   */
  static String[] wholeWords(Pattern p) {
    if (p.flags() != 0) {
      return null;
    }
    Matcher m = WHOLE_WORDS.matcher(p.pattern());
    if (!m.matches()) {
      return null;
    }
    String alternatives = m.group(1) != null ? m.group(1) : m.group(2);
    return alternatives.split("\\|");
  }

  /** Whether {@code s} ends with a character {@code $} may stand before: a line break of any kind. */
  static boolean endsWithLineBreak(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char c = s.charAt(s.length() - 1);
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** The text a value is matched as: a string itself, anything else its {@code String.valueOf}. */
  static String text(Object v) {
    return v instanceof String ? (String) v : String.valueOf(v);
  }
}
