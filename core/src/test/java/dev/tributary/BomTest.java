package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bom/pom.xml manages every published module at the reactor's version, and nothing else: no
 * parent (whose third-party pins an import would bring along) and no third-party artifact.
 */
class BomTest {

  /** Modules that are not published: programs and measurements, and the BOM itself. */
  private static final Set<String> UNPUBLISHED = Set.of("examples", "examples/spring-boot", "benchmarks", "bom");

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

  private static Path root() {
    return ReadmeOptionsTest.readme().getParent();
  }

  /** The pom's own artifactId: the first one outside its parent element. */
  private static String artifactId(String pom) {
    Matcher m = ARTIFACT.matcher(pom.replaceAll("(?s)<parent>.*?</parent>", ""));
    assertTrue(m.find(), "an artifactId");
    return m.group(1);
  }

  private static String version(String pom) {
    Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(pom.replaceAll("(?s)<parent>.*?</parent>", ""));
    assertTrue(m.find(), "a version");
    return m.group(1);
  }

  @Test
  void theBomManagesEveryPublishedModuleAndNothingElse() throws IOException {
    String parent = Files.readString(root().resolve("pom.xml"));
    Set<String> published = new TreeSet<>();
    Matcher modules = MODULE.matcher(parent);
    List<String> all = new ArrayList<>();
    while (modules.find()) {
      all.add(modules.group(1));
      if (!UNPUBLISHED.contains(modules.group(1))) {
        published.add(artifactId(Files.readString(root().resolve(modules.group(1)).resolve("pom.xml"))));
      }
    }
    assertTrue(all.contains("bom"), "the BOM is a module of the reactor: " + all);

    String bom = Files.readString(root().resolve("bom/pom.xml"));
    assertFalse(bom.contains("<parent>"), "an imported BOM brings its parent's dependencyManagement along");
    assertEquals(version(parent), version(bom), "the BOM's version is the reactor's");
    String managed = bom.substring(bom.indexOf("<dependencyManagement>"));
    Set<String> listed = new TreeSet<>();
    Matcher a = ARTIFACT.matcher(managed);
    while (a.find()) {
      listed.add(a.group(1));
    }
    assertEquals(published, listed);
    assertFalse(managed.replace("<groupId>dev.tributary</groupId>", "").contains("<groupId>"),
        "only dev.tributary artifacts");
    assertFalse(parent.contains("<artifactId>tributary-bom</artifactId>"), "the parent does not import the BOM");
  }
}
