package dev.tributary.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every {@code java} block of README.md compiles against the published modules, as a user who
 * pastes it would compile it. A block is its {@code import} lines, then either whole classes or
 * statements, which become the body of a method that may throw; each block gets a package of its
 * own, so blocks never see one another.
 */
class ReadmeSnippetsTest {

  private static final Pattern CLASS_DECLARATION =
      Pattern.compile("(?m)^(public |final |abstract )*(class|interface|record|enum) ");

  /** One fenced block: where it starts in README and its text. */
  private record Snippet(int line, String text) {}

  private static Path readme() {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("README.md")) && Files.exists(d.resolve("examples"))) {
        return d.resolve("README.md");
      }
    }
    throw new AssertionError("no README.md above " + System.getProperty("user.dir"));
  }

  private static List<Snippet> javaBlocks(List<String> lines) {
    List<Snippet> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals("```java")) {
        int start = i + 1;
        StringBuilder text = new StringBuilder();
        for (i++; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
          text.append(lines.get(i)).append('\n');
        }
        blocks.add(new Snippet(start + 1, text.toString()));
      }
    }
    return blocks;
  }

  /** The block as a compilation unit in package {@code readme.lineN}. */
  static String compilationUnit(Snippet s) {
    StringBuilder imports = new StringBuilder();
    StringBuilder rest = new StringBuilder();
    boolean inImports = true;
    for (String line : s.text().split("\n", -1)) {
      if (inImports && (line.isBlank() || line.startsWith("import "))) {
        imports.append(line).append('\n');
      } else {
        inImports = false;
        rest.append(line).append('\n');
      }
    }
    String pkg = "package readme.line" + s.line() + ";\n";
    if (CLASS_DECLARATION.matcher(rest).find()) {
      return pkg + imports + rest;
    }
    return pkg + imports + "class Snippet {\n  void run() throws Exception {\n" + rest + "  }\n}\n";
  }

  private static String classPath() {
    // surefire passes the class path here; java.class.path may be a manifest-only jar
    String path = System.getProperty("surefire.test.class.path");
    return path != null && !path.isBlank() ? path : System.getProperty("java.class.path");
  }

  @Test
  void everyJavaBlockCompiles() throws IOException {
    List<Snippet> snippets = javaBlocks(Files.readAllLines(readme()));
    assertTrue(snippets.size() >= 4, "found the README's java blocks: " + snippets.size());

    List<JavaFileObject> sources = new ArrayList<>();
    for (Snippet s : snippets) {
      String unit = compilationUnit(s);
      sources.add(new SimpleJavaFileObject(URI.create("string:///README.md/line" + s.line() + ".java"),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return unit;
        }
      });
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path out = Files.createTempDirectory("readme-snippets");
    try {
      boolean ok = javac.getTask(null, null, diagnostics,
          List.of("-proc:none", "-classpath", classPath(), "-d", out.toString(), "--release", "17"), null, sources)
          .call();
      List<String> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          String[] unit = d.getSource().getCharContent(true).toString().split("\n", -1);
          long line = d.getLineNumber();
          String code = line >= 1 && line <= unit.length ? unit[(int) line - 1].trim() : "";
          errors.add("the block at " + d.getSource().getName().replace("/line", ":").replace(".java", "") + ": "
              + d.getMessage(Locale.ROOT) + "\n    in: " + code);
        }
      }
      assertTrue(ok && errors.isEmpty(), "README's java blocks do not compile:\n" + String.join("\n", errors));
    } finally {
      try (Stream<Path> files = Files.walk(out)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }
}
