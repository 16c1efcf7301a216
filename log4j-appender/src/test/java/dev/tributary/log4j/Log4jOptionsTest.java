package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.logging.LogAdapterConfig;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.junit.jupiter.api.Test;

/** log4j2.xml can set every option by its builder name. */
class Log4jOptionsTest {

  @Test
  void everyOptionIsAPluginAttribute() {
    Set<String> attributes = new TreeSet<>();
    for (Field f : TributaryAppender.Builder.class.getDeclaredFields()) {
      if (f.isAnnotationPresent(PluginBuilderAttribute.class)) {
        attributes.add(f.getName());
      }
    }
    List<String> expected = new ArrayList<>(LogAdapterConfig.OPTIONS);
    expected.remove("name"); // the appender's own name attribute names the instance
    expected.remove("server"); // <Server host=".." port=".."/> elements
    assertEquals(new TreeSet<>(expected), attributes);
  }
}
