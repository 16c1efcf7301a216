package dev.tributary;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.ObjectName;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Core's own copy of testkit's {@code NoMBeanLeftBehind} (core's tests cannot depend on the
 * testkit, which depends on core): after each test class, no Tributary MBean may be registered,
 * so every instance a test built was closed. Registered for every class through
 * {@code META-INF/services} and {@code junit-platform.properties}.
 */
public final class NoMBeanLeftBehind implements AfterAllCallback {

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Set<ObjectName> left = ManagementFactory.getPlatformMBeanServer()
        .queryNames(new ObjectName("dev.tributary:type=Tributary,*"), null);
    if (!left.isEmpty()) {
      throw new AssertionError(context.getDisplayName() + " left Tributary instances open: " + left);
    }
  }
}
