package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.logging.LogAdapterConfig;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** logback.xml can set every option by its builder name. */
class LogbackOptionsTest {

  @Test
  void everyOptionHasABeanSetter() {
    Set<String> setters = new TreeSet<>();
    for (Method m : TributaryAppender.class.getDeclaredMethods()) {
      if (m.getName().startsWith("set") && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String.class) {
        setters.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
      }
    }
    List<String> expected = new ArrayList<>(LogAdapterConfig.OPTIONS);
    expected.remove("name"); // the appender's own name attribute names the instance
    expected.remove("server"); // addServer, repeatable
    assertEquals(new TreeSet<>(expected), setters);
  }
}
