package dev.tributary.benchmarks.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The machine, JDK and library versions a run was measured with, for the report's header. Versions
 * are read from the {@code pom.properties} each library's jar carries (kept in the shaded
 * benchmarks jar), so the report states what actually ran, not what a pom asked for.
 */
final class Machine {

  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("cpuModel", procField("/proc/cpuinfo", "model name"));
    m.put("memory", procField("/proc/meminfo", "MemTotal"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("gitCommit", command("git", "rev-parse", "--short", "HEAD"));
    Map<String, String> versions = new LinkedHashMap<>();
    for (Subjects.Spec s : Subjects.all()) {
      versions.put(s.artifact(), version(s.artifact()));
    }
    versions.put("ch.qos.logback:logback-classic", version("ch.qos.logback:logback-classic"));
    versions.put("org.openjdk.jmh:jmh-core", version("org.openjdk.jmh:jmh-core"));
    m.put("versions", versions);
    return m;
  }

  /**
   * The version in {@code META-INF/maven/<group>/<artifact>/pom.properties}; for a jar without one,
   * the version the parent pom pins, marked "(pinned)".
   */
  static String version(String groupArtifact) {
    String[] ga = groupArtifact.split(":");
    String path = "/META-INF/maven/" + ga[0] + "/" + ga[1] + "/pom.properties";
    try (InputStream in = Machine.class.getResourceAsStream(path)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "?");
      }
    } catch (IOException e) {
      // fall back to the pinned version
    }
    try (InputStream in = Machine.class.getResourceAsStream("versions.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty(groupArtifact, "not on class path") + " (pinned)";
    } catch (IOException e) {
      return "?";
    }
  }

  private static String procField(String file, String name) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(name)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "unknown";
  }

  private static String command(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
