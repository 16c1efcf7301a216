package dev.tributary.internal.route;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Fluentd {@code <match>} tag pattern, matched against whole tags. Immutable and thread safe.
 *
 * <ul>
 *   <li>{@code a.b}: exactly that tag; every character but the ones below is literal;
 *   <li>{@code *}: any characters within one part (none too), never a dot: {@code app.*} takes
 *       {@code app.web} but neither {@code app} nor {@code app.web.1}; {@code app.web*} takes {@code
 *       app.web1};
 *   <li>{@code **}: zero or more parts: {@code app.**} takes {@code app}, {@code app.web} and {@code
 *       app.web.1} (not {@code apple}); {@code **.error} takes {@code error} and {@code a.b.error};
 *       {@code a.**.z} takes {@code a.z} and {@code a.b.c.z}; {@code **} alone takes every tag;
 *   <li>{@code {a,b}}: either alternative, each a pattern itself ({@code {app.*,sys.**}}), nested
 *       braces too; a brace never closed ends at the end of the pattern;
 *   <li>{@code \c}: the character {@code c} itself;
 *   <li>several patterns separated by white space: any of them ({@code <match a.** b.**>}).
 * </ul>
 *
 * <pre>{@code
 * TagPattern.compile("app.{web,api}.**").matches("app.web.access");  // true
 * }</pre>
 */
public final class TagPattern {

  private final String text;
  /** Null when the pattern takes every tag. */
  private final Pattern regex;

  private TagPattern(String text, Pattern regex) {
    this.text = text;
    this.regex = regex;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException if {@code text} is null or blank
   */
  public static TagPattern compile(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("match pattern must not be empty, was "
          + (text == null ? "null" : "\"" + text + "\""));
    }
    String[] alternatives = text.trim().split("\\s+");
    List<String> regexes = new ArrayList<>(alternatives.length);
    for (String a : alternatives) {
      if (a.equals("**")) {
        return new TagPattern(text, null);
      }
      regexes.add(new Translator(a).translate());
    }
    String joined = regexes.size() == 1 ? regexes.get(0) : "(?:" + String.join(")|(?:", regexes) + ")";
    return new TagPattern(text, Pattern.compile(joined, Pattern.DOTALL));
  }

  /** Whether the whole of {@code tag} fits the pattern. */
  public boolean matches(String tag) {
    return regex == null || regex.matcher(tag).matches();
  }

  /** True for {@code **}, which takes every tag without looking at it. */
  public boolean matchesAll() {
    return regex == null;
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * Turns one glob into a regular expression. A dot before {@code **} is not written at once: with
   * {@code **} after it, the dot and the parts that follow are optional together.
   */
  private static final class Translator {
    private final String pat;
    private int i;
    private boolean pendingDot;

    Translator(String pat) {
      this.pat = pat;
    }

    String translate() {
      StringBuilder out = new StringBuilder();
      sequence(out, 0);
      flushDot(out);
      return out.toString();
    }

    /** Translates until the end, or until a ',' or '}' that ends an alternative at {@code depth} > 0. */
    private void sequence(StringBuilder out, int depth) {
      while (i < pat.length()) {
        char c = pat.charAt(i);
        if (c == '\\') {
          flushDot(out);
          if (i + 1 < pat.length()) {
            out.append(Pattern.quote(String.valueOf(pat.charAt(i + 1))));
            i += 2;
          } else {
            out.append("\\\\");
            i++;
          }
        } else if (c == '*' && i + 1 < pat.length() && pat.charAt(i + 1) == '*') {
          if (pendingDot) {
            // "x.**": x itself, or x followed by a dot and anything
            out.append("(?![^.])");
            pendingDot = false;
          }
          if (i + 2 < pat.length() && pat.charAt(i + 2) == '.') {
            // "**.y": y at the start, or after any parts and a dot
            out.append("(?:.*\\.|^)");
            i += 3;
          } else {
            out.append(".*");
            i += 2;
          }
        } else if (c == '.') {
          flushDot(out);
          pendingDot = true;
          i++;
        } else if (c == '*') {
          flushDot(out);
          out.append("[^.]*");
          i++;
        } else if (c == '{') {
          flushDot(out);
          i++;
          List<String> alternatives = new ArrayList<>();
          while (true) {
            StringBuilder alt = new StringBuilder();
            sequence(alt, depth + 1);
            flushDot(alt);
            alternatives.add(alt.toString());
            if (i < pat.length() && pat.charAt(i) == ',') {
              i++;
              continue;
            }
            if (i < pat.length() && pat.charAt(i) == '}') {
              i++;
            }
            break;
          }
          out.append("(?:").append(String.join("|", alternatives)).append(')');
        } else if ((c == ',' || c == '}') && depth > 0) {
          return;
        } else {
          flushDot(out);
          if (Character.isLetterOrDigit(c) || c == '_') {
            out.append(c);
          } else {
            out.append(Pattern.quote(String.valueOf(c)));
          }
          i++;
        }
      }
    }

    private void flushDot(StringBuilder out) {
      if (pendingDot) {
        out.append("\\.");
        pendingDot = false;
      }
    }
  }
}
