package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Fluentd-syntax file is enough to deliver: servers, buffer and the shared-key handshake from it. */
class ConfigFileDeliveryTest {

  @TempDir Path dir;

  @Test
  void eventsGoWhereTheFileSaysThroughItsSecurity() throws Exception {
    try (ForwardServer server = ForwardServer.builder().sharedKey("from-the-file").build()) {
      Path conf = Files.writeString(dir.resolve("tributary.conf"), String.join("\n",
          "<match **>",
          "  @type forward",
          "  <security>",
          "    shared_key from-the-file",
          "    self_hostname configured-host",
          "  </security>",
          "  <server>",
          "    host 127.0.0.1",
          "    port " + server.port(),
          "  </server>",
          "  <buffer>",
          "    flush_interval 50ms",
          "  </buffer>",
          "</match>", ""));
      try (Tributary t = Tributary.fromConfig(conf).name("config-file").build()) {
        for (int i = 0; i < 10; i++) {
          t.emit("app.config", Map.of("n", i));
        }
        List<ReceivedEvent> events = server.awaitEvents(10, Duration.ofSeconds(10));
        assertEquals(10, events.size());
        assertEquals("app.config", events.get(0).tag());
        assertEquals("configured-host", server.handshakes().get(0).clientHostname());
        assertEquals(0, t.close(Duration.ofSeconds(10)));
      }
    }
  }
}
