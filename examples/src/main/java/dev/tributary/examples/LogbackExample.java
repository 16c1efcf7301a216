package dev.tributary.examples;

import ch.qos.logback.classic.LoggerContext;
import dev.tributary.logback.TributaryAppender;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

/**
 * SLF4J + logback, configured entirely in {@code logback-example.xml}: the application only logs.
 * With no arguments the events go to an embedded ForwardServer and are printed as it received
 * them; with {@code host:port} (or {@code TRIBUTARY_SERVER}) they go to that Fluentd / Fluent Bit.
 */
public final class LogbackExample {

  private LogbackExample() {}

  public static void main(String[] args) {
    try (ExampleTarget target = ExampleTarget.fromArgs(args)) {
      // what -Dlogback.configurationFile=... and the config's ${tributary.server} would say in an application
      System.setProperty("tributary.server", target.hostPort());
      System.setProperty("logback.configurationFile", "logback-example.xml");

      Logger log = LoggerFactory.getLogger("com.example.shop.OrderService");
      MDC.put("request_id", "r-42");
      log.info("Order {} accepted for customer {}", 4711, "c-815");
      log.atWarn()
          .addMarker(MarkerFactory.getMarker("PAYMENT"))
          .addKeyValue("order_id", 4711)
          .addKeyValue("amount", 99.95)
          .log("Payment for order {} retried", 4711);
      log.error("Order {} failed", 4712,
          new IllegalStateException("payment declined", new IOException("gateway timeout")));
      MDC.clear();

      // <shutdownHook/> does this at JVM exit; done here so the example can print what arrived
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      TributaryAppender fluent = (TributaryAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("FLUENT");
      context.stop();
      target.report(3, fluent.metrics());
    }
  }
}
