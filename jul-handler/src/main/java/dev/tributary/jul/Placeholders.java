package dev.tributary.jul;

/**
 * {@code ${...}} in logging.properties values, which JUL itself does not expand (logback and log4j2
 * do, in their files): {@code ${sys:name}} a system property, {@code ${env:name}} an environment
 * variable, {@code ${name}} the property and then the variable, each with an optional {@code
 * :-default}. Stateless.
 */
final class Placeholders {

  private Placeholders() {}

  /** @throws IllegalArgumentException naming the option when a placeholder has no value and no default */
  static String resolve(String option, String value) {
    if (value == null || value.indexOf("${") < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int start = value.indexOf("${", i);
      if (start < 0) {
        return out.append(value, i, value.length()).toString();
      }
      int end = value.indexOf('}', start);
      if (end < 0) {
        throw new IllegalArgumentException(option + " has an unclosed ${ in \"" + value + "\"");
      }
      out.append(value, i, start);
      String expr = value.substring(start + 2, end);
      String fallback = null;
      int dash = expr.indexOf(":-");
      if (dash >= 0) {
        fallback = expr.substring(dash + 2);
        expr = expr.substring(0, dash);
      }
      String resolved = lookup(expr);
      if (resolved == null) {
        resolved = fallback;
      }
      if (resolved == null) {
        throw new IllegalArgumentException(option + " refers to ${" + expr + "}, which is not set");
      }
      out.append(resolved);
      i = end + 1;
    }
  }

  private static String lookup(String expr) {
    if (expr.startsWith("sys:")) {
      return System.getProperty(expr.substring(4));
    }
    if (expr.startsWith("env:")) {
      return System.getenv(expr.substring(4));
    }
    String v = System.getProperty(expr);
    return v != null ? v : System.getenv(expr);
  }
}
