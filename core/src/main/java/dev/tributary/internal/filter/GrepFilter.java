package dev.tributary.internal.filter;

import dev.tributary.Filter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fluentd's {@code grep}: keeps an event when every {@code <regexp>} matches and no {@code
 * <exclude>} does; {@code <and>} and {@code <or>} blocks group conditions of one kind. A field
 * that is missing matches no pattern (so a {@code <regexp>} on it drops the event, an {@code
 * <exclude>} keeps it). Patterns are searched for anywhere in the value, as Ruby's {@code =~}.
 * Immutable, thread safe.
 */
public final class GrepFilter implements Filter, LeavesEventAlone {

  /** One {@code key pattern} pair. */
  public static final class Condition {
    final RecordPath key;
    final Pattern pattern;

    public Condition(String key, String pattern, String option) {
      this.key = RecordPath.parse(key);
      this.pattern = Patterns.compile(option, pattern);
      Pattern p = this.pattern;
      this.matcher = ThreadLocal.withInitial(() -> p.matcher(""));
      this.words = Patterns.wholeWords(this.pattern);
    }

    /** Each emitting thread's matcher of the pattern, reset per value: no Matcher made per event. */
    private final ThreadLocal<Matcher> matcher;
    /** For {@code ^(INFO|WARN)$} and the like: the words, compared without a matcher; else null. */
    private final String[] words;

    boolean matches(Map<String, Object> record) {
      Object v = key.get(record);
      if (v == null) {
        return false;
      }
      String text = Patterns.text(v);
      if (words != null && !Patterns.endsWithLineBreak(text)) {
        for (String w : words) {
          if (w.equals(text)) {
            return true;
          }
        }
        return false;
      }
      return matcher.get().reset(text).find();
    }

    @Override
    public String toString() {
      return key + " " + pattern;
    }
  }

  /** A group of conditions of one kind: {@code <and>} or {@code <or>}, of regexps or of excludes. */
  public static final class Block {
    final boolean and;
    final boolean exclude;
    final Condition[] conditions;

    public Block(boolean and, boolean exclude, List<Condition> conditions) {
      if (conditions.isEmpty()) {
        throw new IllegalArgumentException("grep: an <" + (and ? "and" : "or") + "> block needs at least one condition");
      }
      this.and = and;
      this.exclude = exclude;
      this.conditions = conditions.toArray(new Condition[0]);
    }

    boolean matches(Map<String, Object> record) {
      if (and) {
        for (Condition c : conditions) {
          if (!c.matches(record)) {
            return false;
          }
        }
        return true;
      }
      for (Condition c : conditions) {
        if (c.matches(record)) {
          return true;
        }
      }
      return false;
    }
  }

  private final Condition[] regexps;
  private final Condition[] excludes;
  private final Block[] blocks;

  public GrepFilter(List<Condition> regexps, List<Condition> excludes, List<Block> blocks) {
    if (regexps.isEmpty() && excludes.isEmpty() && blocks.isEmpty()) {
      throw new IllegalArgumentException("grep needs at least one <regexp>, <exclude>, <and> or <or>");
    }
    this.regexps = regexps.toArray(new Condition[0]);
    this.excludes = excludes.toArray(new Condition[0]);
    this.blocks = blocks.toArray(new Block[0]);
  }

  @Override
  public boolean filter(Event event) {
    Map<String, Object> r = event.record();
    for (Condition c : regexps) {
      if (!c.matches(r)) {
        return false;
      }
    }
    for (Condition c : excludes) {
      if (c.matches(r)) {
        return false;
      }
    }
    for (Block b : blocks) {
      if (b.matches(r) == b.exclude) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "grep";
  }
}
