package dev.tributary.internal.forward;

import java.nio.file.Path;
import java.util.List;

/**
 * TLS options of the forward output, immutable. Passwords are held as given and never printed:
 * {@link #toString()} names only what is set.
 *
 * @param caFile PEM certificates trusted in addition to the JDK's (Fluentd's {@code tls_cert_path})
 * @param trustStore a key store of trusted certificates, used instead of the JDK's trust
 * @param certFile PEM certificate chain of this client (mutual TLS)
 * @param keyFile PEM PKCS#8 private key of {@code certFile}
 * @param keyStore a key store holding this client's key and certificate (mutual TLS)
 * @param protocols the TLS versions allowed, lowest first
 * @param insecure no certificate or host name verification at all
 */
public record TlsSettings(Path caFile, Path trustStore, char[] trustStorePassword, Path certFile,
    Path keyFile, Path keyStore, char[] keyStorePassword, List<String> protocols, boolean insecure) {

  public TlsSettings {
    protocols = List.copyOf(protocols);
  }

  @Override
  public String toString() {
    return "TlsSettings{protocols=" + protocols + (insecure ? ", INSECURE" : "")
        + (caFile != null ? ", caFile=" + caFile : "") + (trustStore != null ? ", trustStore=" + trustStore : "")
        + (certFile != null ? ", certFile=" + certFile : "") + (keyStore != null ? ", keyStore=" + keyStore : "")
        + "}";
  }
}
