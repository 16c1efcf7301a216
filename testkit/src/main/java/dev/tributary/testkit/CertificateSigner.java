package dev.tributary.testkit;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes and signs X.509 v3 certificates (RFC 5280) with the JDK's {@link Signature}, since the
 * JDK has no public API for building one. Only what TLS tests need: a subject and issuer with a
 * common name, a validity, basic constraints, key usage, extended key usage (server and client
 * authentication), subject and authority key identifiers, and subject alternative names (DNS
 * names and IP addresses). Stateless and thread safe.
 */
final class CertificateSigner {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private static final String COMMON_NAME = "2.5.4.3";
  private static final String SUBJECT_KEY_ID = "2.5.29.14";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String AUTHORITY_KEY_ID = "2.5.29.35";
  private static final String EXT_KEY_USAGE = "2.5.29.37";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String RSA_WITH_SHA256 = "1.2.840.113549.1.1.11";

  private CertificateSigner() {}

  /** What to certify. {@code names} are DNS names or IP literals for subjectAltName. */
  record Request(String commonName, PublicKey subjectKey, boolean ca, List<String> names,
      Instant notBefore, Instant notAfter) {}

  /**
   * Issues a certificate for {@code request}, signed by {@code issuer}'s private key and naming
   * {@code issuerName} as its issuer; a self-signed certificate passes its own key pair and name.
   */
  static X509Certificate sign(Request request, String issuerName, KeyPair issuer) {
    try {
      boolean ec = issuer.getPrivate().getAlgorithm().equals("EC");
      byte[] algorithm = ec
          ? Der.sequence(Der.oid(ECDSA_WITH_SHA256))
          : Der.sequence(Der.oid(RSA_WITH_SHA256), Der.nul());
      byte[] tbs = Der.sequence(
          Der.explicit(0, Der.integer(BigInteger.TWO)), // version 3
          Der.integer(new BigInteger(127, RANDOM).setBit(126)), // positive, at most 16 bytes
          algorithm,
          name(issuerName),
          Der.sequence(Der.time(request.notBefore()), Der.time(request.notAfter())),
          name(request.commonName()),
          request.subjectKey().getEncoded(), // SubjectPublicKeyInfo, already DER
          Der.explicit(3, Der.sequence(extensions(request, issuer.getPublic()))));
      Signature signature = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA");
      signature.initSign(issuer.getPrivate());
      signature.update(tbs);
      byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signature.sign()));
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate for " + request.commonName(), e);
    }
  }

  private static byte[] extensions(Request request, PublicKey issuerKey)
      throws GeneralSecurityException {
    List<byte[]> extensions = new ArrayList<>();
    extensions.add(extension(BASIC_CONSTRAINTS, true,
        request.ca() ? Der.sequence(Der.bool(true)) : Der.sequence()));
    boolean rsa = request.subjectKey().getAlgorithm().equals("RSA");
    // keyCertSign|cRLSign for a CA; digitalSignature (and keyEncipherment for RSA) for a leaf.
    byte[] usage = request.ca() ? new byte[] {1, 0x06}
        : rsa ? new byte[] {5, (byte) 0xA0} : new byte[] {7, (byte) 0x80};
    extensions.add(extension(KEY_USAGE, true, Der.tlv(0x03, usage)));
    if (!request.ca()) {
      extensions.add(extension(EXT_KEY_USAGE, false,
          Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))));
    }
    extensions.add(extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(request.subjectKey()))));
    extensions.add(extension(AUTHORITY_KEY_ID, false,
        Der.sequence(Der.implicit(0, keyId(issuerKey)))));
    if (!request.names().isEmpty()) {
      List<byte[]> names = new ArrayList<>();
      for (String n : request.names()) {
        names.add(generalName(n));
      }
      extensions.add(extension(SUBJECT_ALT_NAME, false,
          Der.sequence(names.toArray(new byte[0][]))));
    }
    return Der.concat(extensions.toArray(new byte[0][]));
  }

  /** dNSName [2] for a host name, iPAddress [7] for an IPv4 or IPv6 literal. */
  private static byte[] generalName(String name) {
    if (IPV4.matcher(name).matches() || name.contains(":")) {
      try {
        // A literal: getByName parses it without a DNS lookup.
        return Der.implicit(7, InetAddress.getByName(name).getAddress());
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: " + name, e);
      }
    }
    return Der.implicit(2, name.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  private static byte[] name(String commonName) {
    return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
  }

  /** A key identifier: the first 20 bytes of SHA-256 over the encoded public key. */
  private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
    return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 20);
  }
}
