package dev.tributary.examples;

import dev.tributary.EventTime;
import dev.tributary.Tributary;
import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The programmatic API in a few lines. With no arguments it starts an embedded {@link
 * ForwardServer} on a free loopback port and prints what arrived there; with {@code host:port}
 * (or the environment variable {@code TRIBUTARY_SERVER}) it sends to that Fluentd / Fluent Bit.
 */
public final class Quickstart {

  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    String target = args.length > 0 ? args[0] : System.getenv("TRIBUTARY_SERVER");
    ForwardServer embedded = null;
    if (target == null || target.isBlank()) {
      embedded = ForwardServer.start();
      target = embedded.host() + ":" + embedded.port();
      System.out.println("No server given: started an embedded ForwardServer on " + target);
    } else {
      System.out.println("Sending to " + target);
    }
    try (Tributary tributary = Tributary.builder()
        .servers(target)
        .requireAck(true)
        .build()) {
      tributary.emit("app.orders", Map.of("id", 42, "amount", 9.99, "currency", "EUR"));
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("message", "user logged in");
      record.put("user", Map.of("id", 7, "roles", List.of("admin", "dev")));
      record.put("at", Instant.now());
      tributary.emit("app.audit", EventTime.of(1_700_000_000L, 123_456_789), record);
      for (int i = 0; i < 1000; i++) {
        tributary.emit("app.requests", Map.of("path", "/items/" + i, "status", 200, "latency_ms", i % 17));
      }
      long undelivered = tributary.close(Duration.ofSeconds(10));
      TributaryMetrics m = tributary.metrics();
      System.out.println("Delivered " + m.delivered() + " of " + m.emitted() + " events (undelivered: "
          + undelivered + ", dropped: " + m.droppedTotal() + ")");
    }
    if (embedded != null) {
      try (ForwardServer server = embedded) {
        List<ReceivedEvent> events = server.awaitEvents(1002, Duration.ofSeconds(10));
        System.out.println("The server received " + events.size() + " events in "
            + server.requests().size() + " requests; the first three:");
        for (ReceivedEvent e : events.subList(0, 3)) {
          System.out.println("  " + e.tag() + " " + e.time() + " " + e.record());
        }
      }
    }
  }
}
