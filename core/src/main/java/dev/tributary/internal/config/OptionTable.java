package dev.tributary.internal.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options declared once, each with its name, its default as documented, its meaning and how its
 * text form is checked and applied to a builder. Everything that lists options reads this table: a
 * builder's {@code option(name, text)}, the list of names the logging adapters accept, and the
 * README's options table (a test renders the table from here and compares).
 *
 * <p>Options that are documented together share one {@link Row}. Immutable once built; thread safe.
 *
 * <pre>{@code
 * OptionTable<Builder> table = OptionTable.<Builder>rows()
 *     .row("flushInterval", "`200ms`", "how long an open chunk may linger",
 *         OptionTable.duration(Builder::flushInterval))
 *     .build();
 * table.apply(builder, "flushInterval", "500ms");
 * }</pre>
 *
 * @param <B> the builder the options set
 */
public final class OptionTable<B> {

  /** Parses an option's text and applies it; the name is given for error messages. */
  @FunctionalInterface
  public interface TextSetter<B> {
    void set(B builder, String name, String text);
  }

  /** One option: its name and text setter, or none when it is set in code only. */
  public record Option<B>(String name, TextSetter<B> setter) {
    public boolean codeOnly() {
      return setter == null;
    }
  }

  /** One row of the documentation: the options it covers, how it is headed, its default and meaning. */
  public record Row<B>(List<Option<B>> options, String heading, String defaultText, String meaning) {
    /** The row as README's options table writes it. */
    public String markdown() {
      return "| " + heading + " | " + defaultText + " | " + meaning + " |";
    }
  }

  // ---- text forms: parse with ConfigValues (which names the option and quotes the text), then set

  public static <B> TextSetter<B> text(java.util.function.BiConsumer<B, String> setter) {
    return (b, n, t) -> setter.accept(b, t);
  }

  public static <B> TextSetter<B> bool(java.util.function.BiConsumer<B, Boolean> setter) {
    return (b, n, t) -> setter.accept(b, dev.tributary.ConfigValues.bool(n, t));
  }

  public static <B> TextSetter<B> integer(java.util.function.BiConsumer<B, Integer> setter) {
    return (b, n, t) -> setter.accept(b, dev.tributary.ConfigValues.integer(n, t));
  }

  public static <B> TextSetter<B> duration(java.util.function.BiConsumer<B, java.time.Duration> setter) {
    return (b, n, t) -> setter.accept(b, dev.tributary.ConfigValues.duration(n, t));
  }

  public static <B> TextSetter<B> bytes(java.util.function.BiConsumer<B, Long> setter) {
    return (b, n, t) -> setter.accept(b, dev.tributary.ConfigValues.bytes(n, t));
  }

  /** A size that must fit an {@code int}: below 2 GiB. */
  public static <B> TextSetter<B> intBytes(java.util.function.BiConsumer<B, Integer> setter) {
    return (b, n, t) -> {
      long v = dev.tributary.ConfigValues.bytes(n, t);
      if (v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(n + " must be below 2 GiB, was \"" + t + "\"");
      }
      setter.accept(b, (int) v);
    };
  }

  public static <B, E extends Enum<E>> TextSetter<B> enumValue(Class<E> type, java.util.function.BiConsumer<B, E> setter) {
    return (b, n, t) -> setter.accept(b, dev.tributary.ConfigValues.enumValue(n, t, type));
  }

  private final List<Row<B>> rows;
  private final Map<String, Option<B>> byName;

  private OptionTable(List<Row<B>> rows) {
    this.rows = List.copyOf(rows);
    Map<String, Option<B>> m = new LinkedHashMap<>();
    for (Row<B> r : rows) {
      for (Option<B> o : r.options()) {
        if (m.put(o.name(), o) != null) {
          throw new IllegalStateException("option " + o.name() + " declared twice");
        }
      }
    }
    this.byName = Collections.unmodifiableMap(m);
  }

  public static <B> Rows<B> rows() {
    return new Rows<>();
  }

  public List<Row<B>> rowList() {
    return rows;
  }

  /** The options with a text form, in documentation order. */
  public List<String> textNames() {
    List<String> out = new ArrayList<>();
    for (Option<B> o : byName.values()) {
      if (!o.codeOnly()) {
        out.add(o.name());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The options set in code only. */
  public List<String> codeOnlyNames() {
    List<String> out = new ArrayList<>();
    for (Option<B> o : byName.values()) {
      if (o.codeOnly()) {
        out.add(o.name());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The option of this name, or null. */
  public Option<B> option(String name) {
    return byName.get(name);
  }

  /**
   * Sets an option from its text.
   *
   * @throws IllegalArgumentException for an unknown or code-only option, or a bad value, naming it
   */
  public void apply(B builder, String name, String text) {
    Option<B> o = name == null ? null : byName.get(name);
    if (o == null || o.codeOnly()) {
      throw new IllegalArgumentException("unknown option \"" + name + "\"; known options: " + textNames()
          + (o != null ? " (" + name + " is set in code only: Tributary.builder()." + name + "(...))" : ""));
    }
    o.setter().set(builder, name, text);
  }

  /** Collects rows in documentation order. */
  public static final class Rows<B> {
    private final List<Row<B>> rows = new ArrayList<>();

    /** A row of one option with a text form, headed by its name. */
    public Rows<B> row(String name, String defaultText, String meaning, TextSetter<B> setter) {
      return row(List.of(new Option<>(name, setter)), "`" + name + "`", defaultText, meaning);
    }

    /** A row of options documented together, headed by their names. */
    public Rows<B> row(Map<String, TextSetter<B>> options, String defaultText, String meaning) {
      List<Option<B>> list = new ArrayList<>();
      List<String> heads = new ArrayList<>();
      options.forEach((n, s) -> {
        list.add(new Option<>(n, s));
        heads.add("`" + n + "`");
      });
      return row(list, String.join(", ", heads), defaultText, meaning);
    }

    /** A row with its own heading (several names, or a call form). */
    public Rows<B> row(List<Option<B>> options, String heading, String defaultText, String meaning) {
      rows.add(new Row<>(List.copyOf(options), heading, defaultText, meaning));
      return this;
    }

    /** A row of an option set in code only; its meaning starts with "code only". */
    public Rows<B> codeOnly(String name, String defaultText, String meaning) {
      if (!meaning.startsWith("code only")) {
        throw new IllegalStateException(name + ": the meaning of a code-only option says so first");
      }
      return codeOnly(name, "`" + name + "`", defaultText, meaning);
    }

    /** A row of an option set in code only, headed by its call form. */
    public Rows<B> codeOnly(String name, String heading, String defaultText, String meaning) {
      if (!meaning.startsWith("code only")) {
        throw new IllegalStateException(name + ": the meaning of a code-only option says so first");
      }
      return row(List.of(new Option<>(name, null)), heading, defaultText, meaning);
    }

    public OptionTable<B> build() {
      return new OptionTable<>(rows);
    }
  }
}
