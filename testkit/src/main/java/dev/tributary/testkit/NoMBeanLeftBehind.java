package dev.tributary.testkit;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test class which leaves a Tributary instance open: after the
 * class (its {@code @AfterAll} methods included), no {@code dev.tributary:type=Tributary} MBean may
 * be registered that was not there before it ({@link Await#tributaryMBeans()}). Every instance
 * built with {@code jmx} on, the default, has one from {@code build()} to {@code close()}, so a
 * leftover MBean is an instance that was not closed. Only the class that leaked fails.
 *
 * <p>Use it on a class ({@code @ExtendWith(NoMBeanLeftBehind.class)}) or for every class of a
 * module: {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code
 * junit-platform.properties} and this class's name in {@code
 * META-INF/services/org.junit.jupiter.api.extension.Extension}, both under {@code
 * src/test/resources}. Thread safe; keeps what it saw before a class in that class's JUnit store.
 * Needs {@code junit-jupiter-api} on the test class path (tributary-testkit does not bring it).
 */
public final class NoMBeanLeftBehind implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoMBeanLeftBehind.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put("before", Set.copyOf(Await.tributaryMBeans()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    Set<String> before = context.getStore(NAMESPACE).getOrDefault("before", Set.class, Set.of());
    try {
      Await.until("every Tributary MBean the class registered to be unregistered", Duration.ofSeconds(5),
          () -> left(before).isEmpty());
    } catch (AssertionError e) {
      throw new AssertionError(context.getDisplayName() + " left Tributary instances open: " + left(before), e);
    }
  }

  private static Set<String> left(Set<String> before) {
    Set<String> now = new HashSet<>(Await.tributaryMBeans());
    now.removeAll(before);
    return now;
  }
}
