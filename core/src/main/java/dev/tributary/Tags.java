package dev.tributary;

/**
 * Tag rules: fluentd-style dotted parts ({@code app.orders}), not empty, no empty part, no
 * whitespace or control characters, at most {@link #MAX_LENGTH} characters.
 */
public final class Tags {

  /** Longest tag accepted. */
  public static final int MAX_LENGTH = 512;

  private Tags() {}

  /**
   * Checks {@code tag}.
   *
   * @throws IllegalArgumentException naming the tag and what is wrong with it
   */
  public static void check(String tag) {
    String problem = problem(tag);
    if (problem != null) {
      throw new IllegalArgumentException("invalid tag " + quote(tag) + ": " + problem);
    }
  }

  /** Whether {@code tag} follows the rules. */
  public static boolean isValid(String tag) {
    return problem(tag) == null;
  }

  private static String problem(String tag) {
    if (tag == null) {
      return "must not be null";
    }
    int n = tag.length();
    if (n == 0) {
      return "must not be empty";
    }
    if (n > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters";
    }
    char prev = '.';
    for (int i = 0; i < n; i++) {
      char c = tag.charAt(i);
      // printable ASCII, what nearly every tag is made of, needs no look at the character tables
      boolean plain = c > ' ' && c < 0x7f;
      if (!plain && (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c))) {
        return "contains whitespace or a control character at index " + i;
      }
      if (c == '.' && prev == '.') {
        return "has an empty part at index " + i;
      }
      prev = c;
    }
    if (prev == '.') {
      return "ends with '.'";
    }
    return null;
  }

  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
  }
}
