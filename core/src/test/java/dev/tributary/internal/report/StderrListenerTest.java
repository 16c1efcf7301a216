package dev.tributary.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.DropReason;
import dev.tributary.FailureReason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StderrListenerTest {

  @Test
  void summariesCountInTheSingularAndThePlural() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StderrListener listener = new StderrListener("orders", 1_000_000_000L, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    listener.onSummary(new EnumMap<>(Map.of(DropReason.BUFFER_FULL, 1L)), new EnumMap<>(FailureReason.class));
    listener.onSummary(new EnumMap<>(Map.of(DropReason.BUFFER_FULL, 2L)),
        new EnumMap<>(Map.of(FailureReason.RETRIES_EXHAUSTED, 1L)));
    assertEquals("tributary[orders]: 1 event dropped {BUFFER_FULL=1} since the last report; metrics() has the totals\n"
        + "tributary[orders]: 2 events dropped {BUFFER_FULL=2}; 1 event not delivered {RETRIES_EXHAUSTED=1}"
        + " since the last report; metrics() has the totals\n", bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
  }
}
