package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The options are declared once, in {@link BuilderOptions}: README's options table is exactly the
 * table rendered from the declarations, every public setter of the builder is declared, and each
 * declared default is the builder's default.
 */
class ReadmeOptionsTest {

  private static final Pattern CODE = Pattern.compile("`([^`]*)`");

  /** One row of the table: the option names of its first column, its default and meaning text. */
  private record Row(List<String> names, String defaultText, String meaning) {}

  static Path readme() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("README.md")) && Files.exists(d.resolve("core"))) {
        return d.resolve("README.md");
      }
    }
    throw new AssertionError("no README.md above " + dir);
  }

  private static Map<String, Row> optionsTable() throws IOException {
    List<String> lines = Files.readAllLines(readme());
    int start = lines.indexOf("### Options");
    assertTrue(start >= 0, "README has an ### Options section");
    Map<String, Row> rows = new LinkedHashMap<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
      String line = lines.get(i);
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|", -1);
      List<String> names = new ArrayList<>();
      Matcher m = CODE.matcher(cells[1]);
      while (m.find()) {
        names.add(m.group(1).replaceFirst("\\(.*", "").trim());
      }
      Row row = new Row(names, cells[2].trim(), cells[3].trim());
      for (String name : names) {
        assertFalse(rows.containsKey(name), "README lists " + name + " twice");
        rows.put(name, row);
      }
    }
    return rows;
  }

  /** Options with a setter but no text form: the builder's public setters not in OPTIONS. */
  private static Set<String> codeOnly() {
    Set<String> setters = new TreeSet<>();
    for (Method m : Tributary.Builder.class.getMethods()) {
      if (m.getReturnType() == Tributary.Builder.class && !m.getName().equals("option")) {
        setters.add(m.getName());
      }
    }
    assertTrue(setters.containsAll(Tributary.Builder.OPTIONS), "every option has a setter: " + setters);
    setters.removeAll(Tributary.Builder.OPTIONS);
    return setters;
  }

  /** Every instance field of a builder, by name: what a builder would build. */
  static Map<String, Object> state(Tributary.Builder b) throws IllegalAccessException {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Field f : Tributary.Builder.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        f.setAccessible(true);
        Object value = f.get(b);
        if (value instanceof SecureOptions) {
          for (Field g : SecureOptions.class.getDeclaredFields()) {
            if (!Modifier.isStatic(g.getModifiers())) {
              g.setAccessible(true);
              fields.put(f.getName() + "." + g.getName(), g.get(value));
            }
          }
        } else {
          fields.put(f.getName(), value);
        }
      }
    }
    return fields;
  }

  /** README's table rows, as written. */
  private static List<String> readmeRows() throws IOException {
    List<String> lines = Files.readAllLines(readme());
    int start = lines.indexOf("### Options");
    List<String> rows = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
      if (lines.get(i).startsWith("| `")) {
        rows.add(lines.get(i));
      }
    }
    return rows;
  }

  @Test
  void readmesTableIsTheOneRenderedFromTheDeclarations() throws IOException {
    List<String> declared = BuilderOptions.TABLE.rowList().stream().map(r -> r.markdown()).toList();
    assertEquals(String.join("\n", declared), String.join("\n", readmeRows()),
        "README's ### Options table must be exactly these rows (from BuilderOptions), in this order");
  }

  @Test
  void theTableListsEveryOptionAndNothingElse() throws IOException {
    Set<String> inCode = new TreeSet<>(Tributary.Builder.OPTIONS);
    inCode.addAll(codeOnly());
    assertEquals(inCode, new TreeSet<>(optionsTable().keySet()));
    assertEquals(new TreeSet<>(BuilderOptions.TABLE.codeOnlyNames()), codeOnly());
  }

  @Test
  void codeOnlyOptionsAreMarkedSoAndNoOtherIs() throws IOException {
    Set<String> codeOnly = codeOnly();
    assertEquals(Set.of("listener", "socketFactory", "clock", "filter", "output", "match"), codeOnly,
        "README's text names these six");
    for (Map.Entry<String, Row> e : optionsTable().entrySet()) {
      boolean marked = e.getValue().meaning().startsWith("code only");
      assertEquals(codeOnly.contains(e.getKey()), marked, e.getKey() + ": " + e.getValue());
    }
  }

  @Test
  void everyDefaultInTheTableIsTheBuildersDefault() throws Exception {
    Map<String, Object> defaults = state(Tributary.builder());
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Row> e : optionsTable().entrySet()) {
      String option = e.getKey();
      String text = e.getValue().defaultText();
      if (!Tributary.Builder.OPTIONS.contains(option)) {
        continue; // code only: the default is an object, described in words
      }
      if (text.equals("–")) {
        continue; // unset by default: nothing to compare
      }
      if (text.equals("required")) {
        assertTrue(Set.of("server", "servers").contains(option), option + " is not required");
        assertEquals(List.of(), defaults.get("servers"));
        continue;
      }
      Matcher m = CODE.matcher(text);
      if (!m.find()) {
        wrong.add(option + ": the default is not `text`: " + text);
        continue;
      }
      Map<String, Object> after = state(Tributary.builder().option(option, m.group(1)));
      for (String field : defaults.keySet()) {
        if (!Objects.equals(defaults.get(field), after.get(field))) {
          wrong.add(option + ": README says " + m.group(1) + ", the builder starts at " + defaults.get(field));
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }
}
