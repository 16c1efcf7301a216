package dev.tributary.internal.config;

import dev.tributary.Compression;
import dev.tributary.ConfigFileException;
import dev.tributary.HeartbeatType;
import dev.tributary.Tributary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads a {@code <match> @type forward} section, with its {@code <server>}, {@code <buffer>} and
 * {@code <security>} sections, by out_forward's parameter names. The servers, {@code
 * require_ack_response} and the buffer belong to the output ({@link Target}); the rest (timeouts,
 * heartbeat, compression, TLS, security) is held by the instance for every forward output, so it
 * goes to the builder through {@link Shared}. A parameter not written keeps Tributary's default
 * (acks are on unless {@code require_ack_response false}). Stateless.
 */
final class ForwardSection {

  static final String KNOWN = "@type, @id, <server>, <buffer>, <security>, require_ack_response,"
      + " ack_response_timeout, connect_timeout, send_timeout, heartbeat_type, heartbeat_interval, phi_threshold,"
      + " hard_timeout, recover_wait, compress, time_as_integer, keepalive, transport, tls_cert_path,"
      + " tls_client_cert_path, tls_client_private_key_path, tls_insecure_mode, tls_verify_hostname, tls_version,"
      + " tls_min_version, tls_max_version";
  private static final String SERVER_KNOWN = "host, port, weight, standby, name, username, password";
  private static final int DEFAULT_PORT = 24224;

  /** What a forward section sets for its own output. */
  interface Target {
    void server(String host, int port, int weight, boolean standby);

    void requireAck(boolean requireAck);

    BufferTarget buffer();
  }

  private ForwardSection() {}

  static Target of(Tributary.Builder b) {
    return new Target() {
      public void server(String host, int port, int weight, boolean standby) {
        b.server(host, port, weight, standby);
      }

      public void requireAck(boolean requireAck) {
        b.requireAck(requireAck);
      }

      public BufferTarget buffer() {
        return BufferTarget.of(b);
      }
    };
  }

  static Target of(dev.tributary.Outputs.Forward f) {
    return new Target() {
      public void server(String host, int port, int weight, boolean standby) {
        f.server(host, port, weight, standby);
      }

      public void requireAck(boolean requireAck) {
        f.requireAck(requireAck);
      }

      public BufferTarget buffer() {
        return BufferTarget.of(f);
      }
    };
  }

  static void apply(ConfigElement match, Target target, Tributary.Builder b, Shared shared) {
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
            + " (Tributary authenticates one user for every server)");
      }
      username = user;
      password = pass;
      applying(s, "host", () -> target.server(host, port, weight, standby));
      s.checkAllRead(SERVER_KNOWN);
    }
    if (username != null) {
      String u = username;
      shared.set(servers.get(0), "username", u, () -> b.username(u));
    }
    if (password != null) {
      String p = password;
      shared.setSecret(servers.get(0), "password", p, () -> b.password(p));
    }
    if (match.has("require_ack_response")) {
      boolean ack = match.bool("require_ack_response", true);
      applying(match, "require_ack_response", () -> target.requireAck(ack));
    }
    duration(match, shared, "ack_response_timeout", b::ackTimeout);
    duration(match, shared, "connect_timeout", b::connectTimeout);
    duration(match, shared, "send_timeout", b::writeTimeout);
    String hb = match.get("heartbeat_type");
    if (hb != null) {
      HeartbeatType type = switch (hb.trim().toLowerCase(Locale.ROOT)) {
        case "transport", "tcp" -> HeartbeatType.TRANSPORT;
        case "udp" -> HeartbeatType.UDP;
        case "none" -> HeartbeatType.NONE;
        default -> throw match.bad("heartbeat_type", hb, "transport, udp or none");
      };
      shared.set(match, "heartbeat_type", type, () -> b.heartbeatType(type));
    }
    duration(match, shared, "heartbeat_interval", b::heartbeatInterval);
    if (match.has("phi_threshold")) {
      int phi = match.integer("phi_threshold", 0);
      shared.set(match, "phi_threshold", phi, () -> b.phiThreshold(phi));
    }
    duration(match, shared, "hard_timeout", b::hardTimeout);
    duration(match, shared, "recover_wait", b::recoverWait);
    String compress = match.get("compress");
    if (compress != null) {
      Compression c = switch (compress.trim().toLowerCase(Locale.ROOT)) {
        case "text" -> Compression.NONE;
        case "gzip" -> Compression.GZIP;
        default -> throw match.bad("compress", compress, "text or gzip");
      };
      shared.set(match, "compress", c, () -> b.compression(c));
    }
    if (match.has("time_as_integer")) {
      boolean v = match.bool("time_as_integer", false);
      shared.set(match, "time_as_integer", v, () -> b.timeAsInteger(v));
    }
    if (match.has("keepalive") && !match.bool("keepalive", true)) {
      throw match.bad("keepalive", "false", "true: Tributary always keeps its connections open");
    }
    transport(match, b, shared);
    ConfigElement security = match.section("security");
    if (security != null) {
      String key = security.required("shared_key");
      shared.setSecret(security, "shared_key", key, () -> b.sharedKey(key));
      String self = security.get("self_hostname");
      if (self != null) {
        shared.set(security, "self_hostname", self, () -> b.selfHostname(self));
      }
      security.checkAllRead("shared_key, self_hostname");
    }
    ConfigElement buffer = match.section("buffer");
    if (buffer != null) {
      BufferSection.apply(buffer, target.buffer(), b, shared, false);
    }
    match.get("@id");
    match.checkAllRead(KNOWN);
  }

  private static void transport(ConfigElement match, Tributary.Builder b, Shared shared) {
    String transport = match.get("transport");
    boolean tls = false;
    if (transport != null) {
      switch (transport.trim().toLowerCase(Locale.ROOT)) {
        case "tcp" -> tls = false;
        case "tls" -> tls = true;
        default -> throw match.bad("transport", transport, "tcp or tls");
      }
      boolean on = tls;
      shared.set(match, "transport", on ? "tls" : "tcp", () -> b.tls(on));
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
      shared.set(match, "tls_cert_path", cas.get(0), () -> b.tlsCaFile(Path.of(cas.get(0))));
    }
    String cert = match.get("tls_client_cert_path");
    if (cert != null) {
      shared.set(match, "tls_client_cert_path", cert, () -> b.tlsCertFile(Path.of(cert)));
    }
    String key = match.get("tls_client_private_key_path");
    if (key != null) {
      shared.set(match, "tls_client_private_key_path", key, () -> b.tlsKeyFile(Path.of(key)));
    }
    if (match.has("tls_insecure_mode")) {
      boolean v = match.bool("tls_insecure_mode", false);
      shared.set(match, "tls_insecure_mode", v, () -> b.tlsInsecure(v));
    }
    if (match.has("tls_verify_hostname") && !match.bool("tls_verify_hostname", true)) {
      throw match.bad("tls_verify_hostname", "false",
          "true (to skip every check, set tls_insecure_mode true; checking the chain but not the name is not offered)");
    }
    String version = match.get("tls_version");
    if (version != null) {
      String v = tlsVersion(match, "tls_version", version);
      shared.set(match, "tls_version", v, () -> b.tlsMinVersion(v).tlsMaxVersion(v));
    }
    String min = match.get("tls_min_version");
    if (min != null) {
      String v = tlsVersion(match, "tls_min_version", min);
      shared.set(match, "tls_min_version", v, () -> b.tlsMinVersion(v));
    }
    String max = match.get("tls_max_version");
    if (max != null) {
      String v = tlsVersion(match, "tls_max_version", max);
      shared.set(match, "tls_max_version", v, () -> b.tlsMaxVersion(v));
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

  static void duration(ConfigElement e, Shared shared, String key, Function<Duration, ?> setter) {
    Duration d = e.time(key, null);
    if (d != null) {
      shared.set(e, key, d, () -> setter.apply(d));
    }
  }

  /** Runs a step that concerns a whole section, turning its complaint into an error at the section's line. */
  static void applyingSection(ConfigElement e, Runnable step) {
    try {
      step.run();
    } catch (ConfigFileException ex) {
      throw ex;
    } catch (IllegalArgumentException ex) {
      throw new ConfigFileException(e.source(), e.line(), e.name(), e.describe() + ": " + ex.getMessage());
    }
  }

  /** Runs a setter, turning its complaint into an error at the parameter's line. */
  static void applying(ConfigElement e, String key, Runnable setter) {
    try {
      setter.run();
    } catch (ConfigFileException ex) {
      throw ex;
    } catch (IllegalArgumentException ex) {
      throw new ConfigFileException(e.source(), e.lineOf(key), key,
          "'" + key + "' in " + e.describe() + ": " + ex.getMessage());
    }
  }
}
