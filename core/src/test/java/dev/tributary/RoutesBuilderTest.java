package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Outputs and routes that do not fit together are a named error from build(), never a silent default. */
class RoutesBuilderTest {

  private static String error(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void declaredOutputsNeedARoute() {
    assertEquals("outputs [console] are declared but no route: add match(pattern, outputs...), e.g. match(\"**\", \"console\")",
        error(() -> Tributary.builder().output("console", Outputs.stdout()).build()));
  }

  @Test
  void aRouteMustNameDeclaredOutputs() {
    assertEquals("match \"app.**\" names output \"archive\", which is not declared; outputs: [console]",
        error(() -> Tributary.builder().output("console", Outputs.stdout())
            .match("app.**", "archive").build()));
    assertEquals("match \"app.**\" names output \"console\", which is not declared; without output(...)"
            + " the one output is \"forward\"",
        error(() -> Tributary.builder().server("127.0.0.1", 24224).match("app.**", "console").build()));
  }

  @Test
  void everyOutputMustBeRouted() {
    assertEquals("output \"archive\" is not named by any match(...)",
        error(() -> Tributary.builder().output("console", Outputs.stdout())
            .output("archive", Outputs.nullOutput()).match("**", "console").build()));
  }

  @Test
  void aForwardOutputNeedsServersOfItsOwnOrTheBuilders() {
    assertEquals("output \"agg\": a forward output needs servers: Outputs.forward().server(host, port),"
            + " or server(host, port) on the builder",
        error(() -> Tributary.builder().output("agg", Outputs.forward()).match("**", "agg").build()));
  }

  @Test
  void buildersServersNobodyUsesAreAnError() {
    assertEquals("server(...) is set on the builder but no forward output uses it: a forward output"
            + " without servers of its own takes the builder's",
        error(() -> Tributary.builder().server("127.0.0.1", 24224)
            .output("console", Outputs.stdout()).match("**", "console").build()));
  }

  @Test
  void namesAndPatternsAreCheckedWhereTheyAreSet() {
    assertEquals("output name must be letters, digits, '.', '_' or '-', was \"a b\"",
        error(() -> Tributary.builder().output("a b", Outputs.stdout())));
    assertEquals("output \"a\" is declared twice",
        error(() -> Tributary.builder().output("a", Outputs.stdout()).output("a", Outputs.nullOutput())));
    assertEquals("match \"**\" names no output", error(() -> Tributary.builder().match("**")));
    assertEquals("match \"**\": output \"a\" named twice", error(() -> Tributary.builder().match("**", "a", "a")));
    assertEquals("match pattern must not be empty, was \"\"", error(() -> Tributary.builder().match("", "a")));
  }

  @Test
  void outputSettingsAreCheckedWhereTheyAreSet() {
    assertEquals("bufferMaxBytes must be >= 65536, was 10", error(() -> Outputs.nullOutput().bufferMaxBytes(10)));
    assertEquals("flushInterval must be > 0, was PT0S", error(() -> Outputs.stdout().flushInterval(Duration.ZERO)));
    assertEquals("rotateInterval must be 0 or >= 1s, was PT0.5S",
        error(() -> Outputs.file(Path.of("x.log")).rotateInterval(Duration.ofMillis(500))));
    assertEquals("maxFileBytes must be >= 0, was -1", error(() -> Outputs.file(Path.of("x.log")).maxFileBytes(-1)));
    assertEquals("server port must be within 1..65535, was 0", error(() -> Outputs.forward().server("h", 0)));
  }

  @Test
  void aSpecChangedAfterItWasGivenDoesNotChangeTheBuilder() {
    Outputs.Null spec = Outputs.nullOutput();
    Tributary.Builder b = Tributary.builder().output("n", spec).match("**", "n");
    spec.bufferMaxBytes(10 << 20);
    try (Tributary t = b.build()) {
      assertEquals("null", t.metrics().output("n").type());
    }
  }
}
