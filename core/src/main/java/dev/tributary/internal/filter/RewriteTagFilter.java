package dev.tributary.internal.filter;

import dev.tributary.Filter;
import dev.tributary.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fluent Bit's {@code rewrite_tag}: rules {@code $KEY REGEX NEW_TAG KEEP}, tried in order; the
 * first whose field matches gives the event a new tag. {@code NEW_TAG} may use {@code $TAG},
 * {@code $TAG[N]} (the tag's parts from 0), {@code $0}..{@code $9} (the match and its groups) and
 * fields of the record ({@code $level}, {@code $kubernetes['namespace_name']}). With {@code KEEP}
 * {@code false} the event goes on under the new tag; with {@code true} it goes on under its own
 * and a copy under the new tag is emitted too, which passes the filters after this one. A new tag
 * that is not a valid tag is an error of this filter. Immutable, thread safe.
 */
public final class RewriteTagFilter implements Filter {

  /** One rule. */
  public static final class Rule {
    final RecordPath key;
    final Pattern regex;
    final List<Object> newTag; // String literals, and Piece references
    final boolean keep;
    final String text;

    /** Parses {@code $KEY REGEX NEW_TAG KEEP}. */
    public static Rule parse(String text) {
      String[] p = text == null ? new String[0] : text.trim().split("\\s+");
      if (p.length != 4) {
        throw new IllegalArgumentException("rewrite_tag: a rule is \"$KEY REGEX NEW_TAG KEEP\", was \"" + text + "\"");
      }
      if (!p[0].startsWith("$")) {
        throw new IllegalArgumentException("rewrite_tag: the key of rule \"" + text + "\" must start with $ ($level, $user['id'])");
      }
      if (!p[3].equalsIgnoreCase("true") && !p[3].equalsIgnoreCase("false")) {
        throw new IllegalArgumentException("rewrite_tag: KEEP of rule \"" + text + "\" must be true or false, was " + p[3]);
      }
      return new Rule(p[0], p[1], p[2], Boolean.parseBoolean(p[3].toLowerCase()), text);
    }

    public Rule(String key, String regex, String newTag, boolean keep, String text) {
      this.key = accessor(key);
      this.regex = Patterns.compile("rewrite_tag rule", regex);
      this.newTag = template(newTag);
      this.keep = keep;
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** {@code $level} / {@code $user['id']} as a record path. */
  private static RecordPath accessor(String key) {
    String k = key.startsWith("$") ? key.substring(1) : key;
    int b = k.indexOf('[');
    return b < 0 ? RecordPath.parse(k) : RecordPath.parse("$['" + k.substring(0, b) + "']" + k.substring(b));
  }

  private static final Pattern REFERENCE =
      Pattern.compile("\\$(TAG\\[(\\d+)\\]|TAG|(\\d)|([A-Za-z_][A-Za-z0-9_]*(?:\\[['\"][^'\"]*['\"]\\])*))");

  private static List<Object> template(String newTag) {
    List<Object> parts = new ArrayList<>();
    Matcher m = REFERENCE.matcher(newTag);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        parts.add(newTag.substring(last, m.start()));
      }
      if (m.group(2) != null) {
        parts.add(new TagPart(Integer.parseInt(m.group(2))));
      } else if (m.group(1).equals("TAG")) {
        parts.add(new TagPart(-1));
      } else if (m.group(3) != null) {
        parts.add(Integer.valueOf(m.group(3)));
      } else {
        parts.add(accessor(m.group(4)));
      }
      last = m.end();
    }
    if (last < newTag.length()) {
      parts.add(newTag.substring(last));
    }
    return parts;
  }

  /** {@code $TAG} (index -1) or {@code $TAG[N]}. */
  private static final class TagPart {
    final int index;

    TagPart(int index) {
      this.index = index;
    }
  }

  private final Rule[] rules;

  public RewriteTagFilter(List<Rule> rules) {
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("rewrite_tag needs at least one rule");
    }
    this.rules = rules.toArray(new Rule[0]);
  }

  @Override
  public boolean filter(Event event) {
    for (Rule rule : rules) {
      Object v = rule.key.get(event.record());
      if (v == null) {
        continue;
      }
      Matcher m = rule.regex.matcher(Patterns.text(v));
      if (!m.find()) {
        continue;
      }
      String tag = render(rule, m, event);
      Tags.check(tag);
      if (rule.keep) {
        event.emitCopy(tag, Records.copy(event.record()));
      } else {
        event.tag(tag);
      }
      return true;
    }
    return true;
  }

  private static String render(Rule rule, Matcher m, Event event) {
    StringBuilder sb = new StringBuilder();
    String[] tagParts = null;
    for (Object p : rule.newTag) {
      if (p instanceof String) {
        sb.append((String) p);
      } else if (p instanceof TagPart) {
        int i = ((TagPart) p).index;
        if (i < 0) {
          sb.append(event.tag());
        } else {
          if (tagParts == null) {
            tagParts = event.tag().split("\\.", -1);
          }
          if (i < tagParts.length) {
            sb.append(tagParts[i]);
          }
        }
      } else if (p instanceof Integer) {
        int g = (Integer) p;
        if (g <= m.groupCount() && m.group(g) != null) {
          sb.append(m.group(g));
        }
      } else {
        Object v = ((RecordPath) p).get(event.record());
        if (v != null) {
          sb.append(Patterns.text(v));
        }
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "rewrite_tag";
  }
}
