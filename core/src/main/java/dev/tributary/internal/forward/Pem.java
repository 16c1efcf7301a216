package dev.tributary.internal.forward;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM files: X.509 certificates and unencrypted PKCS#8 private keys. Stateless. */
final class Pem {

  private static final Pattern PKCS8 = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private Pem() {}

  /** Every certificate in the file, in order. */
  static List<Certificate> certificates(Path file, String option) {
    try (InputStream in = Files.newInputStream(file)) {
      List<Certificate> certs = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(option + ": no PEM certificate in " + file);
      }
      return certs;
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot read " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(option + ": " + file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** The PKCS#8 private key in the file (RSA, EC or Ed25519). */
  static PrivateKey privateKey(Path file, String option) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    Matcher m = PKCS8.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException(option + ": " + file + " holds no unencrypted PKCS#8 key"
          + " (-----BEGIN PRIVATE KEY-----); convert one with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException tryNext) {
        // the key's algorithm is not in the PEM header: try the next
      }
    }
    throw new IllegalArgumentException(option + ": " + file + ": unsupported private key algorithm");
  }
}
