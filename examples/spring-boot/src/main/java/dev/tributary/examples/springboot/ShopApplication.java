package dev.tributary.examples.springboot;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.tributary.Tributary;
import dev.tributary.logback.TributaryAppender;
import dev.tributary.micrometer.TributaryMeterBinder;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot 3.5 application that logs through Tributary: {@code logback-spring.xml} sends every
 * log event to the aggregators in {@code tributary.servers} through the appender {@code FLUENT};
 * the appender's Tributary instance is a bean, its meters are bound to Boot's registry (so {@code
 * /actuator/metrics/tributary.events.delivered} and {@code /actuator/prometheus} show them) and
 * its health is a part of {@code /actuator/health}.
 *
 * <p>The appender belongs to logback, which Spring Boot starts before the application context and
 * stops at JVM exit; the beans here only read it.
 *
 * <pre>{@code
 * mvn -q -pl examples/spring-boot -am package -DskipTests -Ptributary-run -Dtributary.servers=127.0.0.1:24224
 * }</pre>
 */
@SpringBootApplication
public class ShopApplication {

  /** The appender's name in logback-spring.xml. */
  static final String APPENDER = "FLUENT";

  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }

  /** The Tributary instance of the logback appender {@value #APPENDER}. */
  @Bean
  Tributary tributary() {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    if (logback.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER) instanceof TributaryAppender appender
        && appender.forwarder() != null) {
      return appender.forwarder().tributary();
    }
    throw new IllegalStateException("logback-spring.xml has no started Tributary appender named " + APPENDER
        + " on the root logger (see logback's status messages)");
  }

  /** Boot binds every MeterBinder bean to its registry: tributary.* meters, tagged name=FLUENT. */
  @Bean(destroyMethod = "close")
  TributaryMeterBinder tributaryMeters(Tributary tributary) {
    return new TributaryMeterBinder(tributary);
  }

  /** Tributary's health view as the component "tributary" of /actuator/health: DOWN is DOWN, DEGRADED is UP with the reason. */
  @Bean
  HealthIndicator tributaryHealthIndicator(Tributary tributary) {
    return () -> {
      dev.tributary.Health h = tributary.health();
      return org.springframework.boot.actuate.health.Health
          .status(h.state() == dev.tributary.Health.State.DOWN ? Status.DOWN : Status.UP)
          .withDetail("state", h.state().name())
          .withDetail("reason", h.reason())
          .withDetail("connectedServers", h.connectedServers())
          .withDetail("bufferFill", h.bufferFill())
          .withDetail("lastError", h.lastError().orElse(""))
          .build();
    };
  }
}
