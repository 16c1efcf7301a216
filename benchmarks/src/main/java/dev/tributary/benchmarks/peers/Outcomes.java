package dev.tributary.benchmarks.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What happened to the events of one JMH trial: sent by the callers, counted at the server,
 * dropped or thrown by the library. JMH's result file has only scores, so the benchmarks append
 * this, one JSON line per trial, to the file named by the system property {@code suite.outcomes}
 * (the suite sets it; without it the line is only printed).
 *
 * @param measure {@code emit} or {@code e2e}
 * @param subject the subject name
 * @param method the benchmark method
 * @param threads calling threads
 * @param requireAck acks on
 * @param sent calls made
 * @param received events the server counted (duplicates after a resend included)
 * @param dropped events the library said it dropped
 * @param thrown calls in which the library threw
 */
public record Outcomes(String measure, String subject, String method, int threads, boolean requireAck,
    long sent, long received, long dropped, long thrown) {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Prints this and appends it to {@code -Dsuite.outcomes}, if set. */
  public static void append(Outcomes o) {
    try {
      String line = JSON.writeValueAsString(o);
      System.out.println("\n[outcomes] " + line);
      String file = System.getProperty("suite.outcomes");
      if (file != null) {
        Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
