package dev.tributary.examples;

import dev.tributary.TributaryMetrics;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where the logging examples send: the Fluentd / Fluent Bit named by the first argument or by
 * {@code TRIBUTARY_SERVER} ({@code host:port}), or else an embedded {@link ForwardServer} on a free
 * loopback port, whose received events the example prints. Closes the embedded server.
 */
final class ExampleTarget implements AutoCloseable {

  private final ForwardServer embedded;
  private final String hostPort;

  private ExampleTarget(ForwardServer embedded, String hostPort) {
    this.embedded = embedded;
    this.hostPort = hostPort;
  }

  static ExampleTarget fromArgs(String[] args) {
    String target = args.length > 0 ? args[0] : System.getenv("TRIBUTARY_SERVER");
    if (target == null || target.isBlank()) {
      ForwardServer server = ForwardServer.start();
      String hostPort = server.host() + ":" + server.port();
      System.out.println("No server given: started an embedded ForwardServer on " + hostPort);
      return new ExampleTarget(server, hostPort);
    }
    System.out.println("Sending to " + target);
    return new ExampleTarget(null, target.trim());
  }

  /** {@code host:port}, for the logging configuration's {@code servers} option. */
  String hostPort() {
    return hostPort;
  }

  /** Prints what the aggregator got: the events themselves when embedded, else the delivery count. */
  void report(int logged, TributaryMetrics metrics) {
    System.out.println("Delivered " + metrics.delivered() + " of " + logged + " events (dropped "
        + metrics.droppedTotal() + ", undelivered " + metrics.failedTotal() + ")");
    printReceived(logged);
  }

  /** When embedded, waits for {@code expected} events and prints each as the server received it. */
  void printReceived(int expected) {
    if (embedded == null) {
      return;
    }
    List<ReceivedEvent> events = embedded.awaitEvents(expected, Duration.ofSeconds(10));
    System.out.println("The embedded server received " + events.size() + " events; each as Fluentd stores it:");
    for (ReceivedEvent e : events) {
      System.out.println("  " + e.tag() + "  " + e.time() + "  " + render(e.record()));
    }
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }

  /** JSON-ish, one line per event, long strings shortened, so the stack trace's one field stays visible as one. */
  static String render(Object v) {
    if (v instanceof Map) {
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        sb.append(sb.length() > 1 ? ", " : "").append('"').append(e.getKey()).append("\": ").append(render(e.getValue()));
      }
      return sb.append('}').toString();
    }
    if (v instanceof List) {
      StringBuilder sb = new StringBuilder("[");
      for (Object o : (List<?>) v) {
        sb.append(sb.length() > 1 ? ", " : "").append(render(o));
      }
      return sb.append(']').toString();
    }
    if (v instanceof String) {
      String s = ((String) v).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\"", "\\\"");
      return "\"" + (s.length() > 200 ? s.substring(0, 200) + "...(" + ((String) v).length() + " chars)" : s) + "\"";
    }
    return String.valueOf(v);
  }
}
