package dev.tributary.internal.filter;

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

  /** The text a value is matched as: a string itself, anything else its {@code String.valueOf}. */
  static String text(Object v) {
    return v instanceof String ? (String) v : String.valueOf(v);
  }
}
