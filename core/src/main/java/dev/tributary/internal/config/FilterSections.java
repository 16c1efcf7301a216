package dev.tributary.internal.config;

import dev.tributary.Filter;
import dev.tributary.Filters;
import dev.tributary.Tributary;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code <filter PATTERN>} sections into the builder's filters, in file order, each applied
 * only to the tags its pattern fits: {@code @type} is one of {@link Filters#TYPES}, its parameters
 * and sections by the Fluentd / Fluent Bit names the built-ins take. Stateless.
 */
final class FilterSections {

  private FilterSections() {}

  static void apply(ConfigElement section, Tributary.Builder b) {
    String type = section.type().trim();
    Filters.FilterBuilder<?> builder;
    try {
      builder = Filters.builder(type);
    } catch (IllegalArgumentException e) {
      throw section.bad("@type", type, String.join(", ", Filters.TYPES));
    }
    section.get("@id");
    for (Map.Entry<String, String> p : section.all().entrySet()) {
      String key = p.getKey();
      if (key.equals("@type") || key.equals("@id")) {
        continue;
      }
      ForwardSection.applying(section, key, () -> builder.param(key, p.getValue()));
    }
    for (ConfigElement sub : section.sections()) {
      sub.markRead();
      if (builder instanceof Filters.Grep && (sub.name().equals("and") || sub.name().equals("or"))) {
        Filters.Grep grep = (Filters.Grep) builder;
        List<ConfigElement> conditions = sub.sections();
        conditions.forEach(ConfigElement::markRead);
        sub.checkAllRead("<regexp> and <exclude> sections only");
        ForwardSection.applying(sub, sub.name(), () -> {
          if (sub.name().equals("and")) {
            grep.and(block -> conditions.forEach(c -> block.section(c.name(), leaf(c))));
          } else {
            grep.or(block -> conditions.forEach(c -> block.section(c.name(), leaf(c))));
          }
        });
        continue;
      }
      Map<String, String> params = leaf(sub);
      ForwardSection.applyingSection(sub, () -> builder.section(sub.name(), params));
    }
    String pattern = section.arg().trim().isEmpty() ? "**" : section.arg().trim();
    Filter[] built = new Filter[1];
    ForwardSection.applyingSection(section, () -> built[0] = builder.build());
    Filter filter = pattern.equals("**") ? built[0] : built[0].forTags(pattern);
    b.filter(filter);
  }

  /** A section's parameters; a section inside it is an error (the built-ins take flat sections). */
  private static Map<String, String> leaf(ConfigElement e) {
    Map<String, String> params = e.all();
    e.checkAllRead(String.join(", ", params.keySet()) + " (no sections inside <" + e.name() + ">)");
    return params;
  }
}
