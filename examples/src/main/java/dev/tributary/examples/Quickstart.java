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
      // application code: each event built field by field, typed, no Map
      tributary.event("app.orders").put("id", 42).put("amount", 9.99).put("currency", "EUR").emit();
      tributary.event("app.audit")
          .time(EventTime.of(1_700_000_000L, 123_456_789))
          .put("message", "user logged in")
          .putMap("user", u -> u.put("id", 7).beginArray("roles").add("admin").add("dev").endArray())
          .put("at", Instant.now())
          .emit();
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < 999; i++) {
        path.setLength(0);
        path.append("/items/").append(i);
        tributary.event("app.requests").put("path", path).put("status", 200).put("latency_ms", i % 17).emit();
      }
      // a record that already is a map goes as it is
      Map<String, Object> fromJson = new LinkedHashMap<>();
      fromJson.put("path", "/health");
      fromJson.put("status", 200);
      fromJson.put("tags", List.of("probe"));
      tributary.emit("app.requests", fromJson);
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
