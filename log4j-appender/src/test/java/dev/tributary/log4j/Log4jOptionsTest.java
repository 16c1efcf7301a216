package dev.tributary.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void serverElementsTakeAWeightAndStandby() {
    Server weighted = Server.createServer("agg1", "24224", "40", "true");
    assertEquals("agg1:24224 weight=40 standby=true", weighted.hostPort());
    assertEquals("[::1]:24224", Server.createServer("::1", "24224", null, null).hostPort());
    new LogAdapterConfig().addServer(weighted.hostPort()).check("FLUENT");
    String m = assertThrows(IllegalArgumentException.class, () -> new LogAdapterConfig()
        .addServer(Server.createServer("agg1", "24224", "heavy", null).hostPort()).check("FLUENT")).getMessage();
    assertTrue(m.contains("servers entry has a bad weight") && m.contains("agg1:24224 weight=heavy"), m);
  }
}
