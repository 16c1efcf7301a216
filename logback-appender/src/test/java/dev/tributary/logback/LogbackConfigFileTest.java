package dev.tributary.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.testkit.ForwardServer;
import dev.tributary.testkit.ReceivedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `config` option: a Fluentd-syntax file names the filters, the servers and the buffer; the framework's file the rest. */
class LogbackConfigFileTest {

  @TempDir Path dir;

  @AfterEach
  void clearProperty() throws Exception {
    LogbackTests.reset();
    System.clearProperty("tributary.config");
  }

  @Test
  void theFileNamedByTheConfigOptionSetsTheServerAndTheFilters() throws Exception {
    try (ForwardServer server = ForwardServer.start()) {
      Path conf = Files.writeString(dir.resolve("tributary.conf"), String.join("\n",
          "<filter app.**>", "  @type record_transformer", "  <record>", "    source ${tag_parts[1]}-config",
          "  </record>", "</filter>",
          "<filter **>", "  @type grep", "  <exclude>", "    key message", "    pattern /secret/", "  </exclude>",
          "</filter>",
          "<match **>", "  @type forward", "  <server>", "    host 127.0.0.1", "    port " + server.port(),
          "  </server>", "  <buffer>", "    flush_interval 50ms", "  </buffer>", "</match>", ""));
      System.setProperty("tributary.config", conf.toString());
      LogbackTests.configure("logback-config-file.xml", server.port());
      org.slf4j.LoggerFactory.getLogger("com.example.Orders").info("a secret one");
      org.slf4j.LoggerFactory.getLogger("com.example.Orders").info("from the file");
      ReceivedEvent event = server.awaitEvents(1, Duration.ofSeconds(10)).get(0);
      assertEquals("app.file", event.tag());
      assertEquals("from the file", event.get("message"));
      assertEquals("file-config", event.get("source"), "record_transformer from the file");
      LogbackTests.reset(); // stop logging while the server can still ack
      assertEquals(1, server.eventCount(), "the grep of the file drops the secret one");
    }
  }
}
