package dev.tributary.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates made in the test: what they name, who signed them, and the files written. */
class TestCertificatesTest {

  @Test
  void theServerCertificateNamesLocalhostAndTheLoopbackAddressAndChainsToTheCa()
      throws GeneralSecurityException {
    TestCertificates certs = TestCertificates.create();
    X509Certificate server = certs.serverCertificate();
    assertEquals(Set.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")), altNames(server));
    assertEquals(3, server.getVersion(), "X.509 v3");
    assertEquals(-1, server.getBasicConstraints(), "not a CA");
    assertTrue(server.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
    assertTrue(certs.caCertificate().getBasicConstraints() >= 0, "the CA is a CA");
    validate(server, certs.caCertificate());
    validate(certs.clientCertificate(), certs.caCertificate());
    assertEquals(List.of(server, certs.caCertificate()), certs.serverChain());
  }

  @Test
  void serverNamesReplaceTheDefaultOnes() throws GeneralSecurityException {
    X509Certificate server =
        TestCertificates.builder().serverNames("other.example", "::1").build().serverCertificate();
    assertEquals(Set.of(List.of(2, "other.example"), List.of(7, "0:0:0:0:0:0:0:1")),
        altNames(server));
    assertTrue(server.getSubjectX500Principal().getName().contains("other.example"));
  }

  @Test
  void aSelfSignedServerCertificateIsItsOwnIssuer() throws GeneralSecurityException {
    TestCertificates certs = TestCertificates.builder().selfSigned(true).build();
    X509Certificate server = certs.serverCertificate();
    server.verify(server.getPublicKey());
    assertEquals(server.getSubjectX500Principal(), server.getIssuerX500Principal());
    assertThrows(CertPathValidatorException.class, () -> validate(server, certs.caCertificate()));
    assertEquals(List.of(server), certs.serverChain());
  }

  @Test
  void oneSetNeverTrustsAnotherSetsCertificates() {
    TestCertificates a = TestCertificates.create();
    TestCertificates b = TestCertificates.create();
    assertNotEquals(a.caCertificate().getSubjectX500Principal(),
        b.caCertificate().getSubjectX500Principal());
    assertThrows(CertPathValidatorException.class,
        () -> validate(b.clientCertificate(), a.caCertificate()));
  }

  @Test
  void aValidityInThePastMakesExpiredCertificates() {
    Instant start = Instant.parse("2020-01-01T00:00:00Z");
    TestCertificates certs = TestCertificates.builder()
        .validity(start, start.plusSeconds(3600)).build();
    assertEquals(Date.from(start.plusSeconds(3600)), certs.serverCertificate().getNotAfter());
    assertThrows(CertPathValidatorException.class,
        () -> validate(certs.serverCertificate(), certs.caCertificate()));
    assertThrows(IllegalArgumentException.class,
        () -> TestCertificates.builder().validity(start, start));
  }

  @Test
  void rsaKeysSignWithRsa() throws GeneralSecurityException {
    TestCertificates certs =
        TestCertificates.builder().keyType(TestCertificates.KeyType.RSA).build();
    assertEquals("SHA256withRSA", certs.serverCertificate().getSigAlgName());
    assertEquals("RSA", certs.clientKey().getAlgorithm());
    validate(certs.serverCertificate(), certs.caCertificate());
  }

  @Test
  void writePemWritesChainsAndPkcs8KeysThatLoadBack(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create();
    TestCertificates.PemFiles files = certs.writePem(dir);

    assertEquals(List.of(certs.caCertificate()), readCertificates(files.caCertificate()));
    assertEquals(certs.serverChain(), readCertificates(files.serverCertificate()));
    assertEquals(certs.clientChain(), readCertificates(files.clientCertificate()));
    String keyPem = Files.readString(files.serverKey());
    assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n"), keyPem);
    assertTrue(keyPem.endsWith("\n-----END PRIVATE KEY-----\n"), keyPem);
    assertTrue(keyPem.lines().allMatch(l -> l.length() <= 64), "64-character lines");

    PrivateKey serverKey = readKey(files.serverKey());
    assertArrayEquals(certs.serverKey().getEncoded(), serverKey.getEncoded());
    assertKeyMatches(readKey(files.clientKey()), certs.clientCertificate());
  }

  @Test
  void keyStoresHoldTheKeysUnderTheDocumentedPassword() throws GeneralSecurityException {
    TestCertificates certs = TestCertificates.create();
    char[] password = TestCertificates.KEYSTORE_PASSWORD.toCharArray();
    assertEquals(certs.clientKey(), certs.clientKeyStore().getKey("client", password));
    assertEquals(certs.serverKey(), certs.serverKeyStore().getKey("server", password));
    assertEquals(certs.caCertificate(), certs.trustStore().getCertificate("ca"));
  }

  private static Set<List<?>> altNames(X509Certificate certificate)
      throws GeneralSecurityException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    return names.stream().collect(Collectors.toSet());
  }

  /** PKIX validation (no revocation) of {@code leaf} against {@code anchor}, now. */
  private static void validate(X509Certificate leaf, X509Certificate anchor)
      throws GeneralSecurityException {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    parameters.setRevocationEnabled(false);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    CertPathValidator.getInstance("PKIX")
        .validate(factory.generateCertPath(List.of(leaf)), parameters);
  }

  private static List<Certificate> readCertificates(Path file) throws Exception {
    return List.copyOf(CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))));
  }

  private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
    String base64 = Files.readString(file, StandardCharsets.US_ASCII)
        .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
        .replaceAll("\\s", "");
    return KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static void assertKeyMatches(PrivateKey key, X509Certificate certificate)
      throws GeneralSecurityException {
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(certificate);
    verifier.update(new byte[] {1, 2, 3});
    assertTrue(verifier.verify(signature));
  }
}
