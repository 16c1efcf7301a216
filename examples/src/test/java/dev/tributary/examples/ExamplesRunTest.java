package dev.tributary.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Each logging example runs as the README says, in a JVM of its own, and everything it logs arrives. */
class ExamplesRunTest {

  @ParameterizedTest
  @ValueSource(classes = {LogbackExample.class, Log4jExample.class, JulExample.class})
  void runsAgainstTheEmbeddedServerAndPrintsWhatArrived(Class<?> example, @TempDir Path dir) throws Exception {
    Path output = dir.resolve("out.txt");
    ProcessBuilder pb = new ProcessBuilder(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-cp", System.getProperty("java.class.path"), example.getName())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    pb.environment().remove("TRIBUTARY_SERVER");
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "example exited");
    String out = Files.readString(output);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("Delivered 3 of 3 events (dropped 0, undelivered 0)"), out);
    assertTrue(out.contains("The embedded server received 3 events"), out);
    assertTrue(out.contains("\"stack_trace\": \"java.lang.IllegalStateException: payment declined\\n\\tat "), out);
  }
}
