package dev.tributary.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test class which leaves a Tributary instance open: after the
 * class (its {@code @AfterAll} methods included), no {@code dev.tributary:type=Tributary} MBean may
 * be registered ({@link Await#noTributaryMBeans()}). Every instance built with {@code jmx} on, the
 * default, has one from {@code build()} to {@code close()}, so a leftover MBean is an instance
 * that was not closed.
 *
 * <p>Use it on a class ({@code @ExtendWith(NoMBeanLeftBehind.class)}) or for every class of a
 * module: {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code
 * junit-platform.properties} and this class's name in {@code
 * META-INF/services/org.junit.jupiter.api.extension.Extension}, both under {@code
 * src/test/resources}. Stateless and thread safe; owns nothing. Needs {@code junit-jupiter-api}
 * on the test class path (tributary-testkit does not bring it).
 */
public final class NoMBeanLeftBehind implements AfterAllCallback {

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      Await.noTributaryMBeans();
    } catch (AssertionError e) {
      throw new AssertionError(context.getDisplayName() + " left Tributary instances open: " + e.getMessage(), e);
    }
  }
}
