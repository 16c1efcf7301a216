package dev.tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Fluentd {@code <match> @type forward} section means for Tributary what it means for Fluentd. */
class ConfigFileTest {

  @TempDir Path dir;

  private Path write(String... lines) throws IOException {
    Path file = dir.resolve("tributary.conf");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private ConfigFileException failure(String... lines) throws IOException {
    Path file = write(lines);
    return assertThrows(ConfigFileException.class, () -> Tributary.fromConfig(file));
  }

  @Test
  void aForwardMatchSetsServersBufferRetriesAndSecurityAsTheBuilderWould() throws Exception {
    Path file = write(
        "# pasted from fluentd.conf",
        "<match **>",
        "  @type forward",
        "  require_ack_response true",
        "  ack_response_timeout 30",
        "  connect_timeout 3s",
        "  send_timeout 20s",
        "  heartbeat_type udp",
        "  heartbeat_interval 2s",
        "  phi_threshold 12",
        "  hard_timeout 90s",
        "  recover_wait 20s",
        "  compress gzip",
        "  <security>",
        "    self_hostname app-1",
        "    shared_key s3cret",
        "  </security>",
        "  <server>",
        "    name agg1",
        "    host agg1.example",
        "    port 24225",
        "    weight 40",
        "  </server>",
        "  <server>",
        "    host agg2.example",
        "    standby",
        "  </server>",
        "  <buffer tag>",
        "    @type memory",
        "    chunk_limit_size 256k",
        "    chunk_limit_records 500",
        "    total_limit_size 32m",
        "    flush_interval 1s",
        "    overflow_action drop_oldest_chunk",
        "    retry_wait 0.5",
        "    retry_max_interval 30s",
        "    retry_max_times 10",
        "    retry_timeout 1h",
        "    flush_mode interval",
        "    retry_type exponential_backoff",
        "  </buffer>",
        "</match>");
    Tributary.Builder expected = Tributary.builder()
        .server("agg1.example", 24225, 40, false)
        .server("agg2.example", 24224, 60, true)
        .requireAck(true).ackTimeout(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(3))
        .writeTimeout(Duration.ofSeconds(20)).heartbeatType(HeartbeatType.UDP)
        .heartbeatInterval(Duration.ofSeconds(2)).phiThreshold(12).hardTimeout(Duration.ofSeconds(90))
        .recoverWait(Duration.ofSeconds(20)).compression(Compression.GZIP)
        .selfHostname("app-1").sharedKey("s3cret")
        .chunkMaxBytes(256 * 1024).chunkMaxRecords(500).bufferMaxBytes(32L << 20)
        .flushInterval(Duration.ofSeconds(1)).overflowPolicy(OverflowPolicy.DROP_OLDEST)
        .retryInitialBackoff(Duration.ofMillis(500)).retryMaxBackoff(Duration.ofSeconds(30))
        .retryMaxAttempts(10).retryTimeout(Duration.ofHours(1));
    assertEquals(ReadmeOptionsTest.state(expected), ReadmeOptionsTest.state(Tributary.fromConfig(file)));
  }

  @Test
  void parametersNotWrittenKeepTributarysDefaults() throws Exception {
    Path file = write("<match **>", "  @type forward", "  <server>", "    host 127.0.0.1", "  </server>", "</match>");
    assertEquals(ReadmeOptionsTest.state(Tributary.builder().server("127.0.0.1", 24224)),
        ReadmeOptionsTest.state(Tributary.fromConfig(file)));
  }

  @Test
  void tlsTransportMapsFluentdsTlsParameters() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Path cert = Files.writeString(dir.resolve("client.pem"), "x");
    Path key = Files.writeString(dir.resolve("client.key"), "x");
    Path file = write("<match **>", "  @type forward", "  transport tls",
        "  tls_cert_path " + ca, "  tls_client_cert_path " + cert, "  tls_client_private_key_path " + key,
        "  tls_version TLSv1_3", "  tls_verify_hostname true",
        "  <server>", "    host agg", "  </server>", "</match>");
    Tributary.Builder expected = Tributary.builder().server("agg", 24224).tls(true).tlsCaFile(ca)
        .tlsCertFile(cert).tlsKeyFile(key).tlsMinVersion("TLSv1.3").tlsMaxVersion("TLSv1.3");
    assertEquals(ReadmeOptionsTest.state(expected), ReadmeOptionsTest.state(Tributary.fromConfig(file)));
  }

  @Test
  void theConfigOptionAppliesTheFileAndLaterOptionsOverrideIt() throws Exception {
    Path file = write("<match **>", "  @type forward", "  <buffer>", "    flush_interval 5s", "  </buffer>",
        "  <server>", "    host agg", "  </server>", "</match>");
    Tributary.Builder b = Tributary.builder().option("config", file.toString()).option("flushInterval", "50ms");
    assertEquals(ReadmeOptionsTest.state(Tributary.builder().server("agg", 24224).flushInterval(Duration.ofMillis(50))),
        ReadmeOptionsTest.state(b));
  }

  @Test
  void eachKindOfMistakeIsNamedWithItsLineAndWord() throws Exception {
    String[] server = {"  <server>", "    host agg", "  </server>"};
    assertMistake(failure("<source>", "  @type forward", "</source>"), 1, "source", "<source> is not needed");
    assertMistake(failure("<label @X>", "</label>"), 1, "label", "not supported");
    assertMistake(failure("<matc **>", "</matc>"), 1, "matc", "unknown directive <matc>");
    assertMistake(failure("flush_interval 1s"), 1, "flush_interval", "unknown parameter");
    assertMistake(failure("# nothing"), 1, "match", "no <match> section");
    assertMistake(failure("<match **>", "  @type kafka2", "</match>"), 2, "@type", "forward, stdout, file, copy or null");
    assertMistake(failure("<match **>", "</match>"), 1, "@type", "needs '@type'");
    assertMistake(failure("<match **>", "  @type forward", "</match>"), 1, "server", "at least one <server>");
    assertMistake(failure("<match **>", "  @type forward", server[0], server[1], "    prot 24224", server[2],
        "</match>"), 5, "prot", "unknown parameter 'prot' in <server>");
    assertMistake(failure("<match **>", "  @type forward", server[0], server[1], "    port http", server[2],
        "</match>"), 5, "port", "'http'");
    assertMistake(failure("<match **>", "  @type forward", server[0], server[1], "    port 99999", server[2],
        "</match>"), 4, "host", "65535");
    assertMistake(failure("<match **>", "  @type forward", "  dns_round_robin true", server[0], server[1],
        server[2], "</match>"), 3, "dns_round_robin", "unknown parameter 'dns_round_robin' in <match **>");
    assertMistake(failure("<match **>", "  @type forward", "  tls_cert_path /ca.pem", server[0], server[1],
        server[2], "</match>"), 1, "tls_cert_path", "needs 'transport tls'");
    assertMistake(failure("<match **>", "  @type forward", "  <buffer>", "    @type file", "  </buffer>",
        server[0], server[1], server[2], "</match>"), 3, "path", "needs 'path'");
    assertMistake(failure("<match **>", "  @type forward", "  <buffer>", "    @type s3", "  </buffer>",
        server[0], server[1], server[2], "</match>"), 4, "@type", "memory or file");
    assertMistake(failure("<match **>", "  @type forward", "  <buffer>", "    path /var/lib/x", "  </buffer>",
        server[0], server[1], server[2], "</match>"), 3, "path", "needs '@type file'");
    assertMistake(failure("<match **>", "  @type forward", "  <buffer time>", "  </buffer>",
        server[0], server[1], server[2], "</match>"), 3, "time", "keyed by tag");
    assertMistake(failure("<match **>", "  @type forward", "  <buffer>", "    chunk_limit_size 1x", "  </buffer>",
        server[0], server[1], server[2], "</match>"), 4, "chunk_limit_size", "'1x'");
    assertMistake(failure("<match **>", "  @type forward", "  <buffer>", "    flush_interval 0s", "  </buffer>",
        server[0], server[1], server[2], "</match>"), 4, "flush_interval", "must be > 0");
    assertMistake(failure("<match **>", "  @type forward", "  <security>", "    self_hostname x", "  </security>",
        server[0], server[1], server[2], "</match>"), 3, "shared_key", "needs 'shared_key'");
    assertMistake(failure("<match **>", "  @type forward", "  <server>", "    host a", "    username u",
        "  </server>", "  <server>", "    host b", "  </server>", "</match>"), 7, "username", "same username");
    assertMistake(failure("<match **>", "  @type forward", "  <security>", "    shared_key \"#{ENV['KEY']}\"",
        "  </security>", "</match>"), 4, "shared_key", "${env:NAME}");
  }

  @Test
  void forwardSettingsTheInstanceHoldsOnceMustAgreeAcrossSections() throws Exception {
    String server = "  <server>\n    host agg\n  </server>";
    ConfigFileException e = failure("<match a.**>", "  @type forward", "  ack_response_timeout 30", server,
        "</match>", "<match b.**>", "  @type forward", "  ack_response_timeout 60", server, "</match>");
    assertMistake(e, 10, "ack_response_timeout", "on line 3");
    ConfigFileException secret = failure("<match a.**>", "  @type forward", "  <security>", "    shared_key one",
        "  </security>", server, "</match>", "<match b.**>", "  @type forward", "  <security>",
        "    shared_key two", "  </security>", server, "</match>");
    assertMistake(secret, 13, "shared_key", "differs from the one on line 4");
    assertTrue(!secret.getMessage().contains("one") || !secret.getMessage().contains("two"), secret.getMessage());
  }

  @Test
  void outputsAreNamedByIdOrTypeAndEachMistakeInThemIsNamed() throws Exception {
    assertMistake(failure("<match a>", "  @type null", "  @id x", "</match>", "<match b>", "  @type null",
        "  @id x", "</match>"), 7, "@id", "unique");
    assertMistake(failure("<match a>", "  @type copy", "</match>"), 1, "store", "at least one <store>");
    assertMistake(failure("<match a>", "  @type copy", "  <store backup>", "    @type null", "  </store>", "</match>"),
        3, "backup", "ignore_error");
    assertMistake(failure("<match a>", "  @type file", "</match>"), 1, "path", "needs 'path'");
    assertMistake(failure("<match a>", "  @type file", "  path /tmp/x.log", "  append false", "</match>"), 4,
        "append", "always appends");
    assertMistake(failure("<match a>", "  @type stdout", "  <format>", "    @type json", "  </format>", "</match>"),
        3, "format", "unknown section <format>");
    assertMistake(failure("<match a>", "  @type copy", "  <store>", "    @type kafka2", "  </store>", "</match>"),
        4, "@type", "'kafka2'");
  }

  @Test
  void filterMistakesAreNamedWithTheirLines() throws Exception {
    String match = "<match **>\n  @type null\n</match>";
    assertMistake(failure("<filter **>", "  @type parser", "</filter>", match), 2, "@type", "record_transformer");
    assertMistake(failure("<filter **>", "  @type grep", "  <regexp>", "    key level", "  </regexp>", "</filter>", match),
        3, "regexp", "pattern");
    assertMistake(failure("<filter **>", "  @type record_transformer", "  enable_ruby true", "</filter>", match),
        3, "enable_ruby", "Ruby is not evaluated");
    assertMistake(failure("<filter **>", "  @type record_transformer", "  <record>", "    <nested>", "    </nested>",
        "  </record>", "</filter>", match), 4, "nested", "no sections inside <record>");
    assertMistake(failure(match, "<filter **>", "  @type redact", "  keys password", "</filter>"), 4, "filter",
        "write the <filter> sections first");
    assertMistake(failure("<filter **>", "  @type sample", "  sampling_percentage often", "</filter>", match), 3,
        "sampling_percentage", "often");
  }

  @Test
  void aFileBufferSetsBufferPathItsBudgetAndFsync() throws Exception {
    Path dir = this.dir.resolve("buffer");
    Path file = write("<match **>", "  @type forward", "  <server>", "    host agg", "  </server>",
        "  <buffer>", "    @type file", "    path " + dir, "    total_limit_size 256m", "    fsync interval",
        "    fsync_interval 2s", "    chunk_limit_size 512k", "  </buffer>", "</match>");
    Tributary.Builder expected = Tributary.builder().server("agg", 24224).bufferPath(dir)
        .fileBufferMaxBytes(256L << 20).fsync(FsyncMode.INTERVAL).fsyncInterval(Duration.ofSeconds(2))
        .chunkMaxBytes(512 * 1024);
    assertEquals(ReadmeOptionsTest.state(expected), ReadmeOptionsTest.state(Tributary.fromConfig(file)));
  }

  @Test
  void everyOutputHasAFileBufferOrNone() throws Exception {
    assertMistake(failure("<match a>", "  @type null", "  <buffer>", "    @type file", "    path /tmp/b", "  </buffer>",
        "</match>", "<match b>", "  @type null", "</match>"), 8, "buffer", "give every output <buffer> @type file");
    assertMistake(failure("<match a>", "  @type null", "  <buffer>", "    @type file", "    path /tmp/b", "  </buffer>",
        "</match>", "<match b>", "  @type null", "  <buffer>", "    @type file", "    path /tmp/c", "  </buffer>",
        "</match>"), 12, "path", "on line 5");
  }

  @Test
  void aMissingFileOrResourceIsNamed() {
    ConfigFileException e = assertThrows(ConfigFileException.class,
        () -> Tributary.builder().option("config", "classpath:no-such.conf"));
    assertTrue(e.getMessage().contains("no-such.conf"), e.getMessage());
    ConfigFileException f = assertThrows(ConfigFileException.class,
        () -> Tributary.fromConfig(dir.resolve("absent.conf")));
    assertTrue(f.getMessage().contains("absent.conf"), f.getMessage());
  }

  private static void assertMistake(ConfigFileException e, int line, String word, String fragment) {
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(word, e.word(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
