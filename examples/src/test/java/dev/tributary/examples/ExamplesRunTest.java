package dev.tributary.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testkit.ChildJvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each example runs as the README says, in a JVM of its own, and everything it sends arrives. */
class ExamplesRunTest {

  @ParameterizedTest
  @ValueSource(classes = {LogbackExample.class, Log4jExample.class, JulExample.class})
  void runsAgainstTheEmbeddedServerAndPrintsWhatArrived(Class<?> example) throws Exception {
    ChildJvm.Result run = ChildJvm.run(example, Duration.ofSeconds(60));
    String out = run.output();
    assertEquals(0, run.exitCode(), out);
    assertTrue(out.contains("Delivered 3 of 3 events (dropped 0, undelivered 0)"), out);
    assertTrue(out.contains("The embedded server received 3 events"), out);
    assertTrue(out.contains("\"stack_trace\": \"java.lang.IllegalStateException: payment declined\\n\\tat "), out);
  }

  @Test
  void quickstartDeliversEveryEventItBuilds() throws Exception {
    ChildJvm.Result run = ChildJvm.run(Quickstart.class, Duration.ofSeconds(60));
    String out = run.output();
    assertEquals(0, run.exitCode(), out);
    assertTrue(out.contains("Delivered 1002 of 1002 events (undelivered: 0, dropped: 0)"), out);
    assertTrue(out.contains("The server received 1002 events"), out);
  }

  @Test
  void pipelineExampleMasksDropsAndSendsToStdoutAndTheAggregator() throws Exception {
    ChildJvm.Result run = ChildJvm.run(PipelineExample.class, Duration.ofSeconds(60));
    String out = run.output();
    assertEquals(0, run.exitCode(), out);
    assertTrue(out.contains("Filtered out 1; written to stdout 2, delivered to the aggregator 2"), out);
    assertTrue(out.contains("The embedded server received 2 events"), out);
    assertTrue(out.contains("\"password\":\"****\""), "the stdout JSON line is masked: " + out);
    assertTrue(out.contains("\"password\": \"****\""), "the aggregator's copy is masked: " + out);
    assertTrue(!out.contains("hunter2") && !out.contains("Session cache warmed"), out);
  }
}
