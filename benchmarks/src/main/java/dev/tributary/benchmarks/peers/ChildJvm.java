package dev.tributary.benchmarks.peers;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a runner's {@code main} in a fresh JVM on this JVM's class path, so each subject starts
 * from a clean heap, leaves no threads behind for the next one, and has its own RSS. The child
 * prints its result as one line {@code RESULT <json>}; everything else it prints is passed
 * through, indented.
 */
final class ChildJvm {

  static final String RESULT_PREFIX = "RESULT ";

  private ChildJvm() {}

  /** Prints {@code result} the way {@link #run} reads it. */
  static void printResult(Map<String, Object> result) {
    try {
      System.out.println(RESULT_PREFIX + Outcomes.JSON.writeValueAsString(result));
      System.out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code mainClass} with {@code args} in a child JVM with {@code jvmArgs}; returns its
   * result, or a map with {@code error} if it printed none, failed, or outlived {@code timeoutSeconds}.
   */
  static Map<String, Object> run(List<String> jvmArgs, Class<?> mainClass, List<String> args, long timeoutSeconds) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmArgs);
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(args);
    Map<String, Object> result = null;
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      Thread killer = new Thread(() -> {
        try {
          if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            System.out.println("    [child] timed out after " + timeoutSeconds + " s; killing it");
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "child-jvm-watchdog");
      killer.setDaemon(true);
      killer.start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith(RESULT_PREFIX)) {
            result = Outcomes.JSON.readValue(line.substring(RESULT_PREFIX.length()),
                new TypeReference<LinkedHashMap<String, Object>>() {});
          } else {
            System.out.println("    " + line);
          }
        }
      }
      int exit = p.waitFor();
      if (result == null) {
        result = new LinkedHashMap<>();
        result.put("error", "child exited with " + exit + " and no result");
      }
    } catch (IOException e) {
      result = new LinkedHashMap<>();
      result.put("error", "cannot run child JVM: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = new LinkedHashMap<>();
      result.put("error", "interrupted");
    }
    return result;
  }
}
