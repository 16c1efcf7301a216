package dev.tributary.internal.forward;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Says in a few words why a TLS handshake failed: the JDK's messages name the symptom, not the cause. */
final class TlsFailures {

  private TlsFailures() {}

  static String describe(SSLException e, String host) {
    String all = messages(e).toLowerCase(Locale.ROOT);
    if (all.contains("no subject alternative") || all.contains("no name matching")) {
      return "the server's certificate does not match the host name " + host;
    }
    if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)
        || all.contains("unable to find valid certification path") || all.contains("pkix path")) {
      return "the server's certificate is not trusted (set tlsCaFile or tlsTrustStore to its CA)";
    }
    if (all.contains("no appropriate protocol") || all.contains("protocol_version")
        || all.contains("protocol is disabled") || all.contains("unsupported protocol")) {
      return "no TLS version in common (tlsMinVersion / tlsMaxVersion)";
    }
    if (all.contains("bad_certificate") || all.contains("certificate_required")
        || all.contains("certificate_unknown")) {
      return "the server refused this client's certificate (mutual TLS: tlsCertFile / tlsKeyFile)";
    }
    return "the TLS handshake failed";
  }

  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(' ');
    }
    return sb.toString();
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
