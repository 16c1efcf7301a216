package dev.tributary.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} class in a child JVM with the test's own class path, for tests that need a
 * real process exit (shutdown hooks) or a fresh JVM. The child's standard output and error are
 * captured together; the environment variable {@code TRIBUTARY_SERVER} is removed, so a child
 * never reaches a server the developer's shell points at. Stateless and thread safe.
 *
 * <pre>{@code
 * ChildJvm.Result r = ChildJvm.run(MyChild.class, Duration.ofSeconds(60), "-Dtributary.port=" + server.port());
 * assertEquals(0, r.exitCode(), r.output());
 * }</pre>
 */
public final class ChildJvm {

  /** How the child ended: its exit code and everything it printed. */
  public record Result(int exitCode, String output) {}

  private ChildJvm() {}

  /**
   * Starts {@code mainClass} with {@code jvmArgs} (system properties and the like) before the class
   * name and {@code args} after it, and waits for it to exit.
   *
   * @throws AssertionError if it does not exit within {@code timeout} (it is then killed)
   */
  public static Result run(Class<?> mainClass, Duration timeout, List<String> jvmArgs, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(jvmArgs);
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    Path output = Files.createTempFile("child-jvm", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      pb.environment().remove("TRIBUTARY_SERVER");
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(mainClass.getName() + " did not exit within " + timeout + ":\n"
            + Files.readString(output));
      }
      return new Result(p.exitValue(), Files.readString(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /**
   * Starts {@code mainClass} like {@link #run(Class, Duration, List, String...)} but returns at once:
   * the caller reads the child's output (standard error merged in) as it comes from {@link
   * Process#getInputStream()}, and must end the child ({@link Process#destroyForcibly()} is a
   * {@code kill -9} on Linux) and wait for it.
   */
  public static Process start(Class<?> mainClass, List<String> jvmArgs, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(jvmArgs);
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("TRIBUTARY_SERVER");
    return pb.start();
  }

  /** {@link #run(Class, Duration, List, String...)} with JVM arguments only. */
  public static Result run(Class<?> mainClass, Duration timeout, String... jvmArgs)
      throws IOException, InterruptedException {
    return run(mainClass, timeout, List.of(jvmArgs));
  }
}
