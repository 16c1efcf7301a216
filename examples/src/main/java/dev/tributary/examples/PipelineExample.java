package dev.tributary.examples;

import ch.qos.logback.classic.LoggerContext;
import dev.tributary.DropReason;
import dev.tributary.TributaryMetrics;
import dev.tributary.logback.TributaryAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Filters and two outputs from a Fluentd-syntax file ({@code pipeline.conf}, named by {@code
 * logback-pipeline.xml}): DEBUG is dropped, passwords are masked, and each event goes both to
 * stdout as a JSON line and to the aggregator. With no arguments the aggregator is an embedded
 * ForwardServer; with {@code host:port} (or {@code TRIBUTARY_SERVER}) it is that Fluentd / Fluent Bit.
 */
public final class PipelineExample {

  private PipelineExample() {}

  public static void main(String[] args) {
    try (ExampleTarget target = ExampleTarget.fromArgs(args)) {
      String hostPort = target.hostPort();
      int colon = hostPort.lastIndexOf(':');
      // pipeline.conf reads these as ${sys:tributary.host} and ${sys:tributary.port}
      System.setProperty("tributary.host", hostPort.substring(0, colon));
      System.setProperty("tributary.port", hostPort.substring(colon + 1));
      System.setProperty("logback.configurationFile", "logback-pipeline.xml");

      Logger log = LoggerFactory.getLogger("com.example.shop.LoginService");
      log.debug("Session cache warmed");                                   // dropped by grep
      log.atInfo().addKeyValue("user", "ada").addKeyValue("password", "hunter2").log("User logged in");
      log.atWarn().addKeyValue("token", "eyJhbGciOi").log("Token refresh failed");

      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      TributaryAppender fluent = (TributaryAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("FLUENT");
      context.stop(); // <shutdownHook/> does this at JVM exit; done here so the example can print what arrived
      TributaryMetrics m = fluent.metrics();
      System.out.println("Filtered out " + m.dropped(DropReason.FILTERED) + "; written to stdout "
          + m.output("stdout").delivered() + ", delivered to the aggregator " + m.output("aggregator").delivered());
      target.printReceived(2);
    }
  }
}
