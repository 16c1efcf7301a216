package dev.tributary.internal.config;

import dev.tributary.Compression;
import dev.tributary.HeartbeatType;
import dev.tributary.OverflowPolicy;
import dev.tributary.Tributary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Reads a {@code <match> @type forward} section, with its {@code <server>}, {@code <buffer>},
 * {@code <security>} sections, into a {@link Tributary.Builder}, by out_forward's parameter names.
 * A parameter not written keeps Tributary's default (so acks are on unless {@code
 * require_ack_response false}). Stateless.
 */
final class ForwardSection {

  static final String KNOWN = "@type, <server>, <buffer>, <security>, require_ack_response, ack_response_timeout,"
      + " connect_timeout, send_timeout, heartbeat_type, heartbeat_interval, phi_threshold, hard_timeout,"
      + " recover_wait, compress, time_as_integer, keepalive, transport, tls_cert_path, tls_client_cert_path,"
      + " tls_client_private_key_path, tls_insecure_mode, tls_verify_hostname, tls_version, tls_min_version,"
      + " tls_max_version";
  private static final String SERVER_KNOWN = "host, port, weight, standby, name, username, password";
  static final String BUFFER_KNOWN = "@type memory, chunk_limit_size, chunk_limit_records, flush_interval,"
      + " total_limit_size, overflow_action, retry_wait, retry_max_interval, retry_max_times, retry_timeout,"
      + " retry_forever, retry_type exponential_backoff, flush_mode interval, flush_at_shutdown true";
  private static final int DEFAULT_PORT = 24224;

  private ForwardSection() {}

  static void apply(ConfigElement match, Tributary.Builder b) {
    List<ConfigElement> servers = match.sections("server");
    if (servers.isEmpty()) {
      throw match.error("server", match.describe() + " needs at least one <server> section");
    }
    String username = null;
    String password = null;
    for (ConfigElement s : servers) {
      String host = s.required("host");
      int port = s.integer("port", DEFAULT_PORT);
      int weight = s.integer("weight", Tributary.Builder.DEFAULT_WEIGHT);
      boolean standby = s.bool("standby", false);
      s.get("name");
      String user = s.get("username");
      String pass = s.get("password");
      if (s != servers.get(0) && (!Objects.equals(user, username) || !Objects.equals(pass, password))) {
        throw s.error("username", "every <server> must have the same username and password"
            + " (Tributary authenticates one user per output)");
      }
      username = user;
      password = pass;
      applying(s, "host", () -> b.server(host, port, weight, standby));
      s.checkAllRead(SERVER_KNOWN);
    }
    if (username != null) {
      String u = username;
      applying(servers.get(0), "username", () -> b.username(u));
    }
    if (password != null) {
      String p = password;
      applying(servers.get(0), "password", () -> b.password(p));
    }

    if (match.has("require_ack_response")) {
      b.requireAck(match.bool("require_ack_response", true));
    }
    duration(match, "ack_response_timeout", b::ackTimeout);
    duration(match, "connect_timeout", b::connectTimeout);
    duration(match, "send_timeout", b::writeTimeout);
    String hb = match.get("heartbeat_type");
    if (hb != null) {
      b.heartbeatType(switch (hb.trim().toLowerCase(Locale.ROOT)) {
        case "transport", "tcp" -> HeartbeatType.TRANSPORT;
        case "udp" -> HeartbeatType.UDP;
        case "none" -> HeartbeatType.NONE;
        default -> throw match.bad("heartbeat_type", hb, "transport, udp or none");
      });
    }
    duration(match, "heartbeat_interval", b::heartbeatInterval);
    count(match, "phi_threshold", b::phiThreshold);
    duration(match, "hard_timeout", b::hardTimeout);
    duration(match, "recover_wait", b::recoverWait);
    String compress = match.get("compress");
    if (compress != null) {
      b.compression(switch (compress.trim().toLowerCase(Locale.ROOT)) {
        case "text" -> Compression.NONE;
        case "gzip" -> Compression.GZIP;
        default -> throw match.bad("compress", compress, "text or gzip");
      });
    }
    if (match.has("time_as_integer")) {
      b.timeAsInteger(match.bool("time_as_integer", false));
    }
    if (match.has("keepalive") && !match.bool("keepalive", true)) {
      throw match.bad("keepalive", "false", "true: Tributary always keeps its connections open");
    }
    transport(match, b);
    ConfigElement security = match.section("security");
    if (security != null) {
      String key = security.required("shared_key");
      applying(security, "shared_key", () -> b.sharedKey(key));
      String self = security.get("self_hostname");
      if (self != null) {
        applying(security, "self_hostname", () -> b.selfHostname(self));
      }
      security.checkAllRead("shared_key, self_hostname");
    }
    ConfigElement buffer = match.section("buffer");
    if (buffer != null) {
      buffer(buffer, b);
    }
    match.checkAllRead(KNOWN);
  }

  private static void transport(ConfigElement match, Tributary.Builder b) {
    String transport = match.get("transport");
    boolean tls = false;
    if (transport != null) {
      switch (transport.trim().toLowerCase(Locale.ROOT)) {
        case "tcp" -> tls = false;
        case "tls" -> tls = true;
        default -> throw match.bad("transport", transport, "tcp or tls");
      }
    }
    if (transport != null) {
      b.tls(tls);
    }
    String[] tlsParams = {"tls_cert_path", "tls_client_cert_path", "tls_client_private_key_path",
        "tls_insecure_mode", "tls_verify_hostname", "tls_version", "tls_min_version", "tls_max_version"};
    if (!tls) {
      for (String p : tlsParams) {
        if (match.has(p)) {
          throw match.error(p, "'" + p + "' needs 'transport tls' in " + match.describe());
        }
      }
      return;
    }
    List<String> cas = match.list("tls_cert_path");
    if (cas.size() > 1) {
      throw match.bad("tls_cert_path", String.join(",", cas), "one PEM file (put several CA certificates in it)");
    }
    if (cas.size() == 1) {
      applying(match, "tls_cert_path", () -> b.tlsCaFile(Path.of(cas.get(0))));
    }
    String cert = match.get("tls_client_cert_path");
    if (cert != null) {
      applying(match, "tls_client_cert_path", () -> b.tlsCertFile(Path.of(cert)));
    }
    String key = match.get("tls_client_private_key_path");
    if (key != null) {
      applying(match, "tls_client_private_key_path", () -> b.tlsKeyFile(Path.of(key)));
    }
    if (match.has("tls_insecure_mode")) {
      b.tlsInsecure(match.bool("tls_insecure_mode", false));
    }
    if (match.has("tls_verify_hostname") && !match.bool("tls_verify_hostname", true)) {
      throw match.bad("tls_verify_hostname", "false",
          "true (to skip every check, set tls_insecure_mode true; checking the chain but not the name is not offered)");
    }
    String version = match.get("tls_version");
    if (version != null) {
      String v = tlsVersion(match, "tls_version", version);
      applying(match, "tls_version", () -> b.tlsMinVersion(v).tlsMaxVersion(v));
    }
    String min = match.get("tls_min_version");
    if (min != null) {
      String v = tlsVersion(match, "tls_min_version", min);
      applying(match, "tls_min_version", () -> b.tlsMinVersion(v));
    }
    String max = match.get("tls_max_version");
    if (max != null) {
      String v = tlsVersion(match, "tls_max_version", max);
      applying(match, "tls_max_version", () -> b.tlsMaxVersion(v));
    }
  }

  /** Fluentd writes {@code TLSv1_2}; the JDK {@code TLSv1.2}. */
  private static String tlsVersion(ConfigElement e, String key, String text) {
    return switch (text.trim().toUpperCase(Locale.ROOT)) {
      case "TLSV1_2", "TLSV1.2" -> "TLSv1.2";
      case "TLSV1_3", "TLSV1.3" -> "TLSv1.3";
      default -> throw e.bad(key, text, "TLSv1_2 or TLSv1_3");
    };
  }

  /** A {@code <buffer>}: Fluentd's buffer parameters onto the output's chunks, budget and retries. */
  static void buffer(ConfigElement buffer, Tributary.Builder b) {
    String keys = buffer.arg().trim();
    if (!keys.isEmpty() && !keys.equals("tag")) {
      throw buffer.error(keys, "<buffer " + keys + ">: chunks are always keyed by tag; write <buffer> or <buffer tag>");
    }
    String type = buffer.get("@type", "memory").trim();
    if (!type.equals("memory")) {
      throw buffer.bad("@type", type, "memory");
    }
    if (buffer.has("chunk_limit_size")) {
      long n = buffer.size("chunk_limit_size", 0);
      if (n > Integer.MAX_VALUE) {
        throw buffer.bad("chunk_limit_size", buffer.get("chunk_limit_size"), "below 2g");
      }
      applying(buffer, "chunk_limit_size", () -> b.chunkMaxBytes((int) n));
    }
    count(buffer, "chunk_limit_records", b::chunkMaxRecords);
    duration(buffer, "flush_interval", b::flushInterval);
    if (buffer.has("total_limit_size")) {
      long n = buffer.size("total_limit_size", 0);
      applying(buffer, "total_limit_size", () -> b.bufferMaxBytes(n));
    }
    String overflow = buffer.get("overflow_action");
    if (overflow != null) {
      b.overflowPolicy(switch (overflow.trim()) {
        case "block" -> OverflowPolicy.BLOCK;
        case "drop_oldest_chunk" -> OverflowPolicy.DROP_OLDEST;
        case "throw_exception" -> OverflowPolicy.THROW;
        case "drop_newest" -> OverflowPolicy.DROP_NEWEST;
        default -> throw buffer.bad("overflow_action", overflow,
            "block, drop_oldest_chunk, throw_exception or drop_newest");
      });
    }
    duration(buffer, "retry_wait", b::retryInitialBackoff);
    duration(buffer, "retry_max_interval", b::retryMaxBackoff);
    count(buffer, "retry_max_times", b::retryMaxAttempts);
    duration(buffer, "retry_timeout", b::retryTimeout);
    if (buffer.bool("retry_forever", false)) {
      b.retryMaxAttempts(0).retryTimeout(dev.tributary.ConfigValues.MAX_DURATION);
    }
    only(buffer, "retry_type", "exponential_backoff");
    String mode = buffer.get("flush_mode");
    if (mode != null && !List.of("interval", "default").contains(mode.trim())) {
      throw buffer.bad("flush_mode", mode, "interval (chunks are sealed by size, records and flush_interval)");
    }
    only(buffer, "flush_at_shutdown", "true");
    buffer.checkAllRead(BUFFER_KNOWN);
  }

  private static void duration(ConfigElement e, String key, Function<Duration, ?> setter) {
    Duration d = e.time(key, null);
    if (d != null) {
      applying(e, key, () -> setter.apply(d));
    }
  }

  private static void count(ConfigElement e, String key, IntFunction<?> setter) {
    if (e.has(key)) {
      int n = e.integer(key, 0);
      applying(e, key, () -> setter.apply(n));
    }
  }

  /** A parameter Tributary accepts with one value only: the way it always works. */
  private static void only(ConfigElement e, String key, String value) {
    String v = e.get(key);
    if (v != null && !v.trim().equals(value)) {
      throw e.bad(key, v, value);
    }
  }

  /** Runs a builder setter, turning its complaint into an error at the parameter's line. */
  static void applying(ConfigElement e, String key, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException ex) {
      if (ex instanceof dev.tributary.ConfigFileException) {
        throw ex;
      }
      throw new dev.tributary.ConfigFileException(e.source(), e.lineOf(key), key,
          "'" + key + "' in " + e.describe() + ": " + ex.getMessage());
    }
  }
}
