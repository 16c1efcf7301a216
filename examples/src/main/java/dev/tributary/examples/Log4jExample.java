package dev.tributary.examples;

import dev.tributary.log4j.TributaryAppender;
import java.io.IOException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.MapMessage;

/**
 * The log4j2 API, configured entirely in {@code log4j2-example.xml}: the application only logs.
 * With no arguments the events go to an embedded ForwardServer and are printed as it received
 * them; with {@code host:port} (or {@code TRIBUTARY_SERVER}) they go to that Fluentd / Fluent Bit.
 */
public final class Log4jExample {

  private Log4jExample() {}

  public static void main(String[] args) {
    try (ExampleTarget target = ExampleTarget.fromArgs(args)) {
      // what -Dlog4j2.configurationFile=... and the config's ${sys:tributary.server} would say in an application
      System.setProperty("tributary.server", target.hostPort());
      System.setProperty("log4j2.configurationFile", "log4j2-example.xml");

      Logger log = LogManager.getLogger("com.example.shop.OrderService");
      ThreadContext.put("request_id", "r-42");
      log.info("Order {} accepted for customer {}", 4711, "c-815");
      log.warn(MarkerManager.getMarker("PAYMENT"), new MapMessage<>()
          .with("message", "Payment for order 4711 retried")
          .with("order_id", 4711)
          .with("amount", 99.95));
      log.error("Order {} failed", 4712,
          new IllegalStateException("payment declined", new IOException("gateway timeout")));
      ThreadContext.clearAll();

      // log4j2's shutdown hook does this at JVM exit; done here so the example can print what arrived
      LoggerContext context = (LoggerContext) LogManager.getContext(false);
      TributaryAppender fluent = (TributaryAppender) context.getConfiguration().getAppender("FLUENT");
      LogManager.shutdown();
      target.report(3, fluent.metrics());
    }
  }
}
