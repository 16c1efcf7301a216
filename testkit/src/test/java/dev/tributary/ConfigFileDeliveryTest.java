package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void severalMatchesDeclareOutputsAndRouteFirstMatchWinsWithCopies() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      Path audit = dir.resolve("audit.log");
      String forward = "    <server>\n      host 127.0.0.1\n      port " + server.port() + "\n    </server>\n"
          + "    <buffer>\n      flush_interval 50ms\n    </buffer>\n";
      Path conf = Files.writeString(dir.resolve("tributary.conf"), "<match audit.**>\n"
          + "  @type copy\n"
          + "  <store>\n    @type forward\n    @id aggregators\n" + forward + "  </store>\n"
          + "  <store ignore_error>\n    @type file\n    path " + audit + "\n  </store>\n"
          + "</match>\n"
          + "<match debug.**>\n  @type null\n</match>\n"
          + "<match app.** debug.more>\n  @type forward\n" + forward.replace("    ", "  ") + "</match>\n");
      try (Tributary t = Tributary.fromConfig(conf).name("config-routes").build()) {
        t.emit("audit.login", Map.of("user", "ada"));
        t.emit("app.web", Map.of("path", "/"));
        t.emit("debug.more", Map.of("n", 1)); // debug.** came first: the null output takes it
        t.emit("other.tag", Map.of("n", 2));
        List<ReceivedEvent> events = server.awaitEvents(2, Duration.ofSeconds(10));
        assertEquals(List.of("app.web", "audit.login"), events.stream().map(ReceivedEvent::tag).sorted().toList());
        assertEquals(0, t.close(Duration.ofSeconds(10)));
        TributaryMetrics m = t.metrics();
        assertEquals(1, m.output("aggregators").delivered());
        assertEquals(1, m.output("file").delivered());
        assertEquals(1, m.output("null").delivered());
        assertEquals(1, m.output("forward").delivered());
        assertEquals(1, m.dropped(DropReason.UNMATCHED));
        assertEquals(2, server.eventCount(), "debug.more went to the null output only");
      }
      List<String> lines = Files.readAllLines(audit);
      assertEquals(1, lines.size(), lines.toString());
      assertTrue(lines.get(0).contains("\"tag\":\"audit.login\"") && lines.get(0).contains("\"user\":\"ada\""),
          lines.get(0));
    }
  }

  @Test
  void filterSectionsRunInFileOrderOnTheTagsTheirPatternsFit() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      Path conf = Files.writeString(dir.resolve("tributary.conf"), String.join("\n",
          "<filter app.**>",
          "  @type record_transformer",
          "  <record>",
          "    service ${tag_parts[1]}",
          "    zone ${env:TRIBUTARY_TEST_UNSET_ZONE:-eu-1}",
          "  </record>",
          "</filter>",
          "<filter **>",
          "  @type redact",
          "  keys password",
          "</filter>",
          "<filter **>",
          "  @type grep",
          "  <or>",
          "    <exclude>",
          "      key level",
          "      pattern /^DEBUG$/",
          "    </exclude>",
          "    <exclude>",
          "      key $.user.name",
          "      pattern /^robot/",
          "    </exclude>",
          "  </or>",
          "</filter>",
          "<match **>",
          "  @type forward",
          "  <server>",
          "    host 127.0.0.1",
          "    port " + server.port(),
          "  </server>",
          "  <buffer>",
          "    flush_interval 50ms",
          "  </buffer>",
          "</match>", ""));
      try (Tributary t = Tributary.fromConfig(conf).name("config-filters").build()) {
        t.emit("app.orders", Map.of("level", "INFO", "password", "hunter2", "user", Map.of("name", "ada")));
        t.emit("app.orders", Map.of("level", "DEBUG"));
        t.emit("app.orders", Map.of("level", "INFO", "user", Map.of("name", "robot-7")));
        t.emit("sys.kernel", Map.of("level", "INFO", "password", "x"));
        List<ReceivedEvent> events = server.awaitEvents(2, Duration.ofSeconds(10));
        assertEquals(0, t.close(Duration.ofSeconds(10)));
        assertEquals(2, server.eventCount(), "the DEBUG event and the robot's are dropped");
        ReceivedEvent orders = events.stream().filter(e -> e.tag().equals("app.orders")).findFirst().orElseThrow();
        assertEquals("orders", orders.get("service"));
        assertEquals("eu-1", orders.get("zone"));
        assertEquals("****", orders.get("password"));
        ReceivedEvent kernel = events.stream().filter(e -> e.tag().equals("sys.kernel")).findFirst().orElseThrow();
        assertEquals(null, kernel.get("service"), "record_transformer was for app.** only");
        assertEquals("****", kernel.get("password"));
        assertEquals(2, t.metrics().dropped(DropReason.FILTERED));
      }
    }
  }

  @Test
  void fileBuffersOfDeclaredOutputsLiveUnderThePathOneDirectoryEach() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      Path buffers = dir.resolve("buffers");
      String buffer = "  <buffer>\n    @type file\n    path " + buffers + "\n    flush_interval 50ms\n  </buffer>\n";
      Path conf = Files.writeString(dir.resolve("tributary.conf"),
          "<match app.**>\n  @type forward\n  <server>\n    host 127.0.0.1\n    port " + server.port()
              + "\n  </server>\n" + buffer + "</match>\n"
              + "<match **>\n  @type null\n" + buffer + "</match>\n");
      try (Tributary t = Tributary.fromConfig(conf).name("config-file-buffer").build()) {
        t.emit("app.web", Map.of("n", 1));
        t.emit("sys.kernel", Map.of("n", 2));
        assertEquals("app.web", server.awaitEvents(1, Duration.ofSeconds(10)).get(0).tag());
        assertTrue(Files.isDirectory(buffers.resolve("forward")) && Files.isDirectory(buffers.resolve("null")),
            "one directory per output under the buffer's path");
        assertEquals(0, t.close(Duration.ofSeconds(10)));
        assertEquals(1, t.metrics().output("null").delivered());
      }
    }
  }
}
