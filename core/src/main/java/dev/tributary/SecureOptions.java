package dev.tributary;

import dev.tributary.internal.forward.SharedKeySettings;
import dev.tributary.internal.forward.TlsSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLS and shared-key options of a {@link Tributary.Builder}, kept apart from the rest:
 * mutable while the builder is, copied at {@code build()}, turned into the forward output's
 * immutable settings there. Secrets stay out of every message.
 */
final class SecureOptions {

  static final List<String> TLS_VERSIONS = List.of("TLSv1.2", "TLSv1.3");

  boolean tls;
  boolean tlsInsecure;
  Path tlsCaFile;
  Path tlsTrustStore;
  String tlsTrustStorePassword;
  Path tlsCertFile;
  Path tlsKeyFile;
  Path tlsKeyStore;
  String tlsKeyStorePassword;
  String tlsMinVersion = "TLSv1.2";
  String tlsMaxVersion = "TLSv1.3";
  String sharedKey;
  String selfHostname;
  String username = "";
  String password = "";

  SecureOptions copy() {
    SecureOptions c = new SecureOptions();
    c.tls = tls;
    c.tlsInsecure = tlsInsecure;
    c.tlsCaFile = tlsCaFile;
    c.tlsTrustStore = tlsTrustStore;
    c.tlsTrustStorePassword = tlsTrustStorePassword;
    c.tlsCertFile = tlsCertFile;
    c.tlsKeyFile = tlsKeyFile;
    c.tlsKeyStore = tlsKeyStore;
    c.tlsKeyStorePassword = tlsKeyStorePassword;
    c.tlsMinVersion = tlsMinVersion;
    c.tlsMaxVersion = tlsMaxVersion;
    c.sharedKey = sharedKey;
    c.selfHostname = selfHostname;
    c.username = username;
    c.password = password;
    return c;
  }

  /** A TLS version as {@code TLSv1.2} or {@code 1.2}; the error names the option. */
  static String tlsVersion(String option, String text) {
    String v = text == null ? "" : text.trim();
    if (v.matches("1\\.[23]")) {
      v = "TLSv" + v;
    }
    if (!TLS_VERSIONS.contains(v)) {
      throw new IllegalArgumentException(option + " must be one of " + TLS_VERSIONS + ", was \"" + text + "\"");
    }
    return v;
  }

  static Path path(String option, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(option + " must be a file path, was \"" + text + "\"");
    }
    try {
      return Path.of(text.trim());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(option + " must be a file path, was \"" + text + "\"", e);
    }
  }

  static String text(String option, String text) {
    if (text == null || text.isBlank()) {
      // only a blank text gets here, so quoting it shows no secret
      throw new IllegalArgumentException(option + " must not be empty, was \"" + text + "\"");
    }
    return text;
  }

  /** Checks the options together; null when TLS is off. */
  TlsSettings tlsSettings() {
    if (!tls) {
      if (tlsInsecure || tlsCaFile != null || tlsTrustStore != null || tlsCertFile != null
          || tlsKeyFile != null || tlsKeyStore != null) {
        throw new IllegalArgumentException("TLS options are set but tls is false: set tls(true)");
      }
      return null;
    }
    int min = TLS_VERSIONS.indexOf(tlsMinVersion);
    int max = TLS_VERSIONS.indexOf(tlsMaxVersion);
    if (min > max) {
      throw new IllegalArgumentException("tlsMinVersion (" + tlsMinVersion + ") must not be above tlsMaxVersion ("
          + tlsMaxVersion + ")");
    }
    if (tlsCaFile != null && tlsTrustStore != null) {
      throw new IllegalArgumentException("tlsCaFile and tlsTrustStore: set one or the other");
    }
    if ((tlsCertFile != null || tlsKeyFile != null) && tlsKeyStore != null) {
      throw new IllegalArgumentException("tlsCertFile/tlsKeyFile and tlsKeyStore: set one or the other");
    }
    return new TlsSettings(tlsCaFile, tlsTrustStore, chars(tlsTrustStorePassword), tlsCertFile, tlsKeyFile,
        tlsKeyStore, chars(tlsKeyStorePassword), new ArrayList<>(TLS_VERSIONS.subList(min, max + 1)), tlsInsecure);
  }

  /** Checks the options together; null without a shared key. */
  SharedKeySettings sharedKeySettings() {
    if (sharedKey == null) {
      if (!username.isEmpty() || !password.isEmpty()) {
        throw new IllegalArgumentException("username and password need sharedKey: user authentication is part of the shared-key handshake");
      }
      return null;
    }
    if (username.isEmpty() != password.isEmpty()) {
      throw new IllegalArgumentException("username and password go together: both or neither");
    }
    return new SharedKeySettings(sharedKey, selfHostname != null ? selfHostname : localHostName(), username, password);
  }

  private static char[] chars(String s) {
    return s == null ? null : s.toCharArray();
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
