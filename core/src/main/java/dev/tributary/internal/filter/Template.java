package dev.tributary.internal.filter;

import dev.tributary.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A value of {@code record_transformer}'s {@code <record>} with its placeholders, as Fluentd
 * writes them: {@code ${hostname}}, {@code ${tag}}, {@code ${tag_parts[N]}} (N from 0, or negative
 * from the end), {@code ${tag_prefix[N]}}, {@code ${tag_suffix[N]}}, {@code ${env:NAME}} (read
 * once, when the filter is made) and {@code ${record["key"]}} (nested: {@code
 * ${record["user"]["id"]}}, or as a record accessor {@code ${$.user.id}}). Parsed once; immutable,
 * thread safe.
 */
final class Template {

  /** One piece: literal text, or a value taken from the event. */
  private interface Part {
    Object value(Filter.Event e);
  }

  private final Part[] parts;
  private final String text;

  private Template(Part[] parts, String text) {
    this.parts = parts;
    this.text = text;
  }

  /**
   * @param env where {@code ${env:NAME}} is looked up
   * @throws IllegalArgumentException for a placeholder it does not know, naming it
   */
  static Template parse(String text, String hostname, Function<String, String> env) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    StringBuilder literal = new StringBuilder();
    while (i < text.length()) {
      int open = text.indexOf("${", i);
      if (open < 0) {
        literal.append(text, i, text.length());
        break;
      }
      int close = closingBrace(text, open + 2);
      if (close < 0) {
        throw new IllegalArgumentException("placeholder at " + open + " of \"" + text + "\" is not closed with '}'");
      }
      literal.append(text, i, open);
      String name = text.substring(open + 2, close).trim();
      Part p = placeholder(name, hostname, env, text);
      if (p instanceof Literal) {
        literal.append(((Literal) p).text);
      } else {
        if (literal.length() > 0) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(p);
      }
      i = close + 1;
    }
    if (literal.length() > 0 || parts.isEmpty()) {
      parts.add(new Literal(literal.toString()));
    }
    return new Template(parts.toArray(new Part[0]), text);
  }

  /** The '}' that ends a placeholder opened before {@code from}, skipping quoted keys. */
  private static int closingBrace(String text, int from) {
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '}') {
        return i;
      }
    }
    return -1;
  }

  private static final class Literal implements Part {
    final String text;

    Literal(String text) {
      this.text = text;
    }

    @Override
    public Object value(Filter.Event e) {
      return text;
    }
  }

  /** A value from the record. */
  private static final class Field implements Part {
    final RecordPath path;

    Field(RecordPath path) {
      this.path = path;
    }

    @Override
    public Object value(Filter.Event e) {
      return path.get(e.record());
    }
  }

  /** Whether a value is taken from the record: then the template must see it before it changes. */
  boolean readsRecord() {
    for (Part p : parts) {
      if (p instanceof Field) {
        return true;
      }
    }
    return false;
  }

  private static Part placeholder(String name, String hostname, Function<String, String> env, String text) {
    if (name.equals("hostname")) {
      return new Literal(hostname);
    }
    if (name.equals("tag")) {
      return Filter.Event::tag;
    }
    if (name.startsWith("env:")) {
      String v = env.apply(name.substring(4));
      return new Literal(v == null ? "" : v);
    }
    for (String kind : new String[] {"tag_parts", "tag_prefix", "tag_suffix"}) {
      if (name.startsWith(kind + "[") && name.endsWith("]")) {
        int n;
        try {
          n = Integer.parseInt(name.substring(kind.length() + 1, name.length() - 1).trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("${" + name + "} in \"" + text + "\": the index must be a whole number");
        }
        return tagPart(kind, n);
      }
    }
    if (name.startsWith("record[") || name.startsWith("record.")) {
      return new Field(RecordPath.parse("$" + name.substring("record".length())));
    }
    if (name.startsWith("$")) {
      return new Field(RecordPath.parse(name));
    }
    throw new IllegalArgumentException("unknown placeholder ${" + name + "} in \"" + text + "\"; known: ${hostname},"
        + " ${tag}, ${tag_parts[N]}, ${tag_prefix[N]}, ${tag_suffix[N]}, ${env:NAME}, ${record[\"key\"]}"
        + " (Ruby expressions are not evaluated)");
  }

  /** Fluentd's tag_parts (negative from the end), tag_prefix (parts 0..N) and tag_suffix (parts N..). */
  private static Part tagPart(String kind, int n) {
    TagParts cache = new TagParts();
    return e -> {
      String[] parts = cache.of(e.tag());
      int at = n < 0 ? n + parts.length : n;
      if (at < 0 || at >= parts.length) {
        return null;
      }
      switch (kind) {
        case "tag_parts": return parts[at];
        case "tag_prefix": return String.join(".", java.util.Arrays.asList(parts).subList(0, at + 1));
        default: return String.join(".", java.util.Arrays.asList(parts).subList(at, parts.length));
      }
    };
  }

  /** The parts of the last tag seen: most events of a filter share their tag. */
  private static final class TagParts {
    private volatile Object[] last = {null, null}; // tag, its parts: one object, so threads see a pair

    String[] of(String tag) {
      Object[] l = last;
      if (l[0] == tag) {
        return (String[]) l[1];
      }
      String[] parts = tag.split("\\.", -1);
      last = new Object[] {tag, parts};
      return parts;
    }
  }

  /** Whether there are no placeholders taken from the event. */
  boolean constant() {
    return parts.length == 1 && parts[0] instanceof Literal;
  }

  /**
   * The value for {@code event}. With {@code typecast}, a template that is one placeholder alone
   * keeps the value's type (a number stays a number, as Fluentd's {@code auto_typecast}); otherwise
   * text, where a missing value is empty.
   */
  Object render(Filter.Event event, boolean typecast) {
    if (parts.length == 1) {
      Object v = parts[0].value(event);
      return typecast || v instanceof String ? v : v == null ? "" : String.valueOf(v);
    }
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      Object v = p.value(event);
      if (v != null) {
        sb.append(v);
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
