package dev.tributary.examples;

import dev.tributary.jul.TributaryHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging, configured entirely in {@code logging-example.properties} (an application
 * would pass {@code -Djava.util.logging.config.file=...}): the application only logs. With no
 * arguments the events go to an embedded ForwardServer and are printed as it received them; with
 * {@code host:port} (or {@code TRIBUTARY_SERVER}) they go to that Fluentd / Fluent Bit.
 */
public final class JulExample {

  private JulExample() {}

  public static void main(String[] args) throws IOException {
    try (ExampleTarget target = ExampleTarget.fromArgs(args)) {
      System.setProperty("tributary.server", target.hostPort());
      try (InputStream config = JulExample.class.getResourceAsStream("/logging-example.properties")) {
        LogManager.getLogManager().readConfiguration(config);
      }

      Logger log = Logger.getLogger("com.example.shop.OrderService");
      log.log(Level.INFO, "Order {0} accepted for customer {1}", new Object[] {"4711", "c-815"});
      log.warning("Payment for order 4711 retried");
      LogRecord failed = new LogRecord(Level.SEVERE, "Order {0} failed");
      failed.setParameters(new Object[] {"4712"});
      failed.setThrown(new IllegalStateException("payment declined", new IOException("gateway timeout")));
      failed.setLoggerName(log.getName());
      log.log(failed);

      // JUL's own shutdown hook does this at JVM exit; done here so the example can print what arrived
      TributaryHandler fluent = null;
      for (Handler h : Logger.getLogger("").getHandlers()) {
        if (h instanceof TributaryHandler) {
          fluent = (TributaryHandler) h;
        }
      }
      LogManager.getLogManager().reset();
      target.report(3, fluent.metrics());
    }
  }
}
