package dev.tributary.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.testkit.Await;
import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The example application on a random port, logging through Tributary to an embedded {@link
 * ForwardServer}: requests log events that arrive at the server, and the actuator shows
 * Tributary's meters and health.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ShopApplicationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Started before Spring Boot initialises logging, which reads {@code tributary.servers} for
   * logback-spring.xml: too early for {@code @DynamicPropertySource}, whose properties arrive
   * after logging is set up.
   */
  private static final ForwardServer SERVER = ForwardServer.start();

  static {
    System.setProperty("tributary.servers", SERVER.host() + ":" + SERVER.port());
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @LocalServerPort
  private int port;

  private String get(String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), path + ": " + r.body());
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private double delivered() {
    try {
      JsonNode metric = json.readTree(get("/actuator/metrics/tributary.events.delivered"));
      assertEquals("tributary.events.delivered", metric.get("name").asText());
      return metric.get("measurements").get(0).get("value").asDouble();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<ReceivedEvent> orders() {
    return SERVER.events().stream()
        .filter(e -> "order accepted".equals(e.record().get("message")))
        .collect(Collectors.toList());
  }

  @Test
  void requestsLogThroughTributaryAndTheActuatorShowsItsMeters() throws IOException {
    for (long id = 1; id <= 3; id++) {
      assertEquals("order " + id + " accepted\n", get("/orders/" + id));
    }
    Await.until("three order events at the server", WAIT, () -> orders().size() == 3);
    ReceivedEvent first = orders().get(0);
    assertEquals("app.shop", first.tag());
    assertEquals(1L, first.record().get("order_id"), "a key-value arrives as a number");
    assertEquals("shop", first.record().get("service"));

    // Spring's own start-up lines went the same way, so delivered counts more than the orders
    Await.until("the actuator's delivered count to reach the server's", WAIT,
        () -> delivered() >= SERVER.events().size() && delivered() >= 3);

    String prometheus = get("/actuator/prometheus");
    for (String line : List.of("tributary_events_emitted_total{name=\"FLUENT\"}",
        "tributary_events_delivered_total{name=\"FLUENT\"}",
        "tributary_events_dropped_total{name=\"FLUENT\",reason=\"buffer_full\"}",
        "tributary_events_failed_total{name=\"FLUENT\",reason=\"retries_exhausted\"}",
        "tributary_events_resent_total{name=\"FLUENT\"}",
        "tributary_chunks_retried_total{name=\"FLUENT\"}",
        "tributary_chunks_failed_total{name=\"FLUENT\"}",
        "tributary_values_replaced_total{name=\"FLUENT\"}",
        "tributary_buffer_used_bytes{name=\"FLUENT\"}",
        "tributary_events_buffered{name=\"FLUENT\"}",
        "tributary_events_in_flight{name=\"FLUENT\"}",
        "tributary_server_healthy{name=\"FLUENT\",output=\"forward\",server=\"" + SERVER.host() + ":" + SERVER.port() + "\"} 1.0",
        "tributary_servers_connected{name=\"FLUENT\"} 1.0",
        "tributary_buffer_fill{name=\"FLUENT\"}",
        "tributary_server_chunks_acked_total{name=\"FLUENT\",output=\"forward\",server=\"" + SERVER.host() + ":" + SERVER.port() + "\"}",
        "tributary_health{name=\"FLUENT\"} 2.0",
        // the appender's one output, the default forward, has its own meters
        "tributary_output_events_delivered_total{name=\"FLUENT\",output=\"forward\",type=\"forward\"}",
        "tributary_output_events_dropped_total{name=\"FLUENT\",output=\"forward\",reason=\"buffer_full\",type=\"forward\"}",
        "tributary_output_buffer_used_bytes{name=\"FLUENT\",output=\"forward\",type=\"forward\"}")) {
      assertTrue(prometheus.contains(line), line + " in\n" + prometheus);
    }

    JsonNode health = json.readTree(get("/actuator/health"));
    assertEquals("UP", health.get("components").get("tributary").get("status").asText(), health.toString());
    assertEquals("UP", health.get("components").get("tributary").get("details").get("state").asText());
  }

  /**
   * Logback outlives the application context (Spring Boot stops it at JVM exit), so the test stops
   * it: the appender closes its Tributary instance, whose threads and MBean must then be gone.
   */
  @AfterAll
  static void stopLoggingAndTheServer() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    Await.noTributaryThreads("FLUENT");
    Await.noTributaryMBeans();
    SERVER.close();
    System.clearProperty("tributary.servers");
  }
}
