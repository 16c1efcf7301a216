package dev.tributary.internal.config;

import dev.tributary.ConfigFileException;
import dev.tributary.Tributary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Turns a configuration file in Fluentd's syntax into settings of a {@link Tributary.Builder}:
 * the {@code <match>} sections Tributary understands, with the parameter names of Fluentd's
 * plugins. Anything outside that subset is a {@link ConfigFileException} naming the line and the
 * word: a setting is never silently ignored. Stateless.
 */
public final class ConfigFileReader {

  private static final String CLASSPATH = "classpath:";
  private static final String TOP_LEVEL_KNOWN = "<filter>, <match>";

  private ConfigFileReader() {}

  /**
   * Reads the file a {@code config} option names: a path, or {@code classpath:name} for a resource
   * of the context class loader (or this library's), and applies it to {@code b}.
   */
  public static void apply(String location, Tributary.Builder b, UnaryOperator<String> env) {
    apply(load(location, env), b);
  }

  /** Reads {@code location} without applying it. */
  public static ConfigElement load(String location, UnaryOperator<String> env) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("config must name a file or classpath: resource, was \"" + location + "\"");
    }
    String where = location.trim();
    if (where.startsWith(CLASSPATH)) {
      String resource = where.substring(CLASSPATH.length()).replaceFirst("^/", "");
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      InputStream in = loader == null ? null : loader.getResourceAsStream(resource);
      if (in == null) {
        in = ConfigFileReader.class.getClassLoader().getResourceAsStream(resource);
      }
      if (in == null) {
        throw new ConfigFileException(where, 1, where, "no resource " + resource + " on the class path");
      }
      try (InputStream stream = in) {
        String text = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        return ConfigParser.parse(text, where, null, env);
      } catch (IOException e) {
        throw new ConfigFileException(where, 1, where, "cannot read " + where + ": " + e);
      }
    }
    return ConfigParser.read(Path.of(where), env);
  }

  /** Applies a parsed file to a builder. */
  public static void apply(ConfigElement root, Tributary.Builder b) {
    ConfigElement firstMatch = null;
    for (ConfigElement section : root.sections()) {
      switch (section.name()) {
        case "match" -> {
          section.markRead();
          if (firstMatch == null) {
            firstMatch = section;
          }
        }
        case "filter" -> {
          section.markRead();
          if (firstMatch != null) {
            throw section.error("filter", "<filter> after <match> (line " + firstMatch.line() + "): Tributary"
                + " filters every event before routing it, so write the <filter> sections first");
          }
          FilterSections.apply(section, b);
        }
        case "source" -> throw section.error("source", "<source> is not needed: Tributary's events come from"
            + " the application (its API or logging framework), tagged there");
        case "label", "system", "worker" -> throw section.error(section.name(),
            "<" + section.name() + "> is not supported by Tributary (supported: " + TOP_LEVEL_KNOWN + ")");
        default -> throw section.error(section.name(),
            "unknown directive <" + section.name() + "> (supported: " + TOP_LEVEL_KNOWN + ")");
      }
    }
    root.checkAllRead(TOP_LEVEL_KNOWN + " sections; parameters belong inside them");
    List<ConfigElement> matches = root.sections("match");
    if (matches.isEmpty()) {
      throw root.error("match", "the file has no <match> section, so no event would go anywhere");
    }
    Shared shared = new Shared();
    ConfigElement only = matches.get(0);
    if (matches.size() == 1 && only.arg().trim().equals("**") && "forward".equals(only.get("@type", "").trim())
        && !only.has("@id")) {
      // the common case keeps the instance's single output and its thread names
      ForwardSection.apply(only, ForwardSection.of(b), b, shared);
      return;
    }
    OutputSections outputs = new OutputSections(b, shared);
    for (ConfigElement match : matches) {
      outputs.match(match);
    }
  }
}
