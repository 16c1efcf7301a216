package dev.tributary.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority with a server and a client certificate, made in the test
 * with the JDK alone (no keytool, no files unless asked): for TLS tests against a {@link
 * ForwardServer} and for the clients that connect to it.
 *
 * <p>{@link #create()} gives a fresh CA, a server certificate for {@code localhost} and {@code
 * 127.0.0.1} and a client certificate, all signed by the CA, on EC P-256 keys (fast: a set takes
 * milliseconds, so every test may make its own). The {@link Builder} makes the certificates tests
 * need to fail: a server certificate for another name ({@link Builder#serverNames}), a
 * self-signed one ({@link Builder#selfSigned}), an expired one ({@link Builder#validity}), or RSA
 * keys ({@link Builder#keyType}). Each set has its own CA key and CA name, so a certificate of
 * one set is never trusted by another set's CA.
 *
 * <p>{@link #writePem(Path)} writes PEM files for clients configured by path: certificates (the
 * leaf, then the CA) and unencrypted PKCS#8 private keys ({@code -----BEGIN PRIVATE KEY-----}).
 * In memory there are {@link KeyStore}s (PKCS12, password {@link #KEYSTORE_PASSWORD}) and ready
 * {@link SSLContext}s.
 *
 * <p>Immutable and thread safe; owns no resource (the files it writes belong to the test's
 * directory).
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create();
 * try (ForwardServer server = ForwardServer.builder().tls(certs).build()) {
 *   SSLSocketFactory sockets = certs.trustingSslContext().getSocketFactory();
 *   // connect to "localhost", server.port() with sockets, or point a client at
 *   // certs.writePem(tempDir).caCertificate()
 * }
 * }</pre>
 */
public final class TestCertificates {
  /** The password of every {@link KeyStore} and key entry this class returns. */
  public static final String KEYSTORE_PASSWORD = "changeit";

  /** {@code localhost} and {@code 127.0.0.1}: the names a loopback client checks. */
  public static final List<String> DEFAULT_SERVER_NAMES = List.of("localhost", "127.0.0.1");

  /** The client certificate's common name unless {@link Builder#clientName} says otherwise. */
  public static final String DEFAULT_CLIENT_NAME = "tributary-test-client";

  /** The key algorithm of every certificate of a set. */
  public enum KeyType {
    /** EC on curve P-256, signed with SHA256withECDSA: fast to generate. The default. */
    EC,
    /** RSA 2048, signed with SHA256withRSA: what most real deployments use. */
    RSA
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyType keyType;
  private final X509Certificate ca;
  private final X509Certificate server;
  private final PrivateKey serverKey;
  private final X509Certificate client;
  private final PrivateKey clientKey;
  private final boolean selfSigned;

  private TestCertificates(Builder b) {
    this.keyType = b.keyType;
    this.selfSigned = b.selfSigned;
    KeyPair caKeys = generate(keyType);
    String caName = "Tributary Test CA " + HexFormat.of().formatHex(randomBytes(6));
    this.ca = CertificateSigner.sign(new CertificateSigner.Request(caName, caKeys.getPublic(), true,
        List.of(), b.notBefore, b.notBefore.plus(Duration.ofDays(3650))), caName, caKeys);
    KeyPair serverKeys = generate(keyType);
    String serverName = b.serverNames.isEmpty() ? "tributary-test-server" : b.serverNames.get(0);
    CertificateSigner.Request serverRequest = new CertificateSigner.Request(serverName,
        serverKeys.getPublic(), false, b.serverNames, b.notBefore, b.notAfter);
    this.server = selfSigned
        ? CertificateSigner.sign(serverRequest, serverName, serverKeys)
        : CertificateSigner.sign(serverRequest, caName, caKeys);
    this.serverKey = serverKeys.getPrivate();
    KeyPair clientKeys = generate(keyType);
    this.client = CertificateSigner.sign(new CertificateSigner.Request(b.clientName,
        clientKeys.getPublic(), false, List.of(), b.notBefore, b.notAfter), caName, caKeys);
    this.clientKey = clientKeys.getPrivate();
  }

  /** A fresh CA, server certificate (localhost, 127.0.0.1) and client certificate, on EC keys. */
  public static TestCertificates create() {
    return builder().build();
  }

  /** Returns a builder for certificates that differ from {@link #create()}'s. */
  public static Builder builder() {
    return new Builder();
  }

  /** The CA that signed the server (unless self-signed) and client certificates: trust this. */
  public X509Certificate caCertificate() {
    return ca;
  }

  /** The server's certificate. */
  public X509Certificate serverCertificate() {
    return server;
  }

  /** The server certificate, then the CA's, as a server presents them; one if self-signed. */
  public List<X509Certificate> serverChain() {
    return selfSigned ? List.of(server) : List.of(server, ca);
  }

  /** The server certificate's private key. */
  public PrivateKey serverKey() {
    return serverKey;
  }

  /** The client's certificate, for mutual TLS; always signed by the CA. */
  public X509Certificate clientCertificate() {
    return client;
  }

  /** The client certificate, then the CA's. */
  public List<X509Certificate> clientChain() {
    return List.of(client, ca);
  }

  /** The client certificate's private key. */
  public PrivateKey clientKey() {
    return clientKey;
  }

  /** The key algorithm of this set. */
  public KeyType keyType() {
    return keyType;
  }

  /** A new PKCS12 trust store holding the CA certificate (alias {@code ca}). */
  public KeyStore trustStore() {
    return trustStoreOf(ca);
  }

  /** A new PKCS12 key store with the server's key and chain (alias {@code server}). */
  public KeyStore serverKeyStore() {
    return keyStoreOf("server", serverKey, serverChain());
  }

  /** A new PKCS12 key store with the client's key and chain (alias {@code client}). */
  public KeyStore clientKeyStore() {
    return keyStoreOf("client", clientKey, clientChain());
  }

  /** A client context that trusts the CA and presents no certificate. */
  public SSLContext trustingSslContext() {
    return sslContext(null, trustStore());
  }

  /** A client context that trusts the CA and presents the client certificate (mutual TLS). */
  public SSLContext clientSslContext() {
    return sslContext(clientKeyStore(), trustStore());
  }

  /**
   * A client context that trusts exactly {@code trusted} and presents no certificate; for
   * example the {@link #serverCertificate()} of a self-signed set.
   */
  public static SSLContext sslContextTrusting(X509Certificate... trusted) {
    return sslContext(null, trustStoreOf(trusted));
  }

  /**
   * Writes {@code ca.crt}, {@code server.crt}, {@code server.key}, {@code client.crt} and {@code
   * client.key} into {@code directory} (which must exist), replacing files of those names.
   * Certificate files hold the chain, leaf first; key files hold unencrypted PKCS#8 keys.
   *
   * @throws UncheckedIOException if a file cannot be written
   */
  public PemFiles writePem(Path directory) {
    PemFiles files = new PemFiles(directory.resolve("ca.crt"), directory.resolve("server.crt"),
        directory.resolve("server.key"), directory.resolve("client.crt"),
        directory.resolve("client.key"));
    try {
      Files.writeString(files.caCertificate(), pem("CERTIFICATE", encoded(ca)));
      Files.writeString(files.serverCertificate(), certificates(serverChain()));
      Files.writeString(files.serverKey(), pem("PRIVATE KEY", serverKey.getEncoded()));
      Files.writeString(files.clientCertificate(), certificates(clientChain()));
      Files.writeString(files.clientKey(), pem("PRIVATE KEY", clientKey.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write PEM files to " + directory, e);
    }
    return files;
  }

  /** Where {@link #writePem(Path)} wrote each file. */
  public record PemFiles(Path caCertificate, Path serverCertificate, Path serverKey,
      Path clientCertificate, Path clientKey) {}

  /**
   * Sets up a {@link TestCertificates}: {@code build()} makes the keys and certificates. Not
   * thread safe; confine a builder to one thread.
   *
   * <pre>{@code
   * TestCertificates wrongName = TestCertificates.builder().serverNames("other.example").build();
   * }</pre>
   */
  public static final class Builder {
    private List<String> serverNames = DEFAULT_SERVER_NAMES;
    private String clientName = DEFAULT_CLIENT_NAME;
    private boolean selfSigned;
    private KeyType keyType = KeyType.EC;
    private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(30));

    private Builder() {}

    /**
     * The server certificate's subjectAltName entries, DNS names or IP literals; the first is
     * also its common name. Default {@link #DEFAULT_SERVER_NAMES}. Give another name (say
     * {@code "other.example"}) for a certificate that fails hostname verification; none for a
     * certificate without subjectAltName.
     */
    public Builder serverNames(String... names) {
      for (String n : names) {
        if (n == null || n.isEmpty()) {
          throw new IllegalArgumentException("serverNames must not be null or empty, was "
              + Arrays.toString(names));
        }
      }
      this.serverNames = List.of(names);
      return this;
    }

    /** The client certificate's common name; default {@link #DEFAULT_CLIENT_NAME}. */
    public Builder clientName(String name) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("clientName must not be null or empty, was " + name);
      }
      this.clientName = name;
      return this;
    }

    /**
     * With {@code true}, the server certificate is signed by its own key instead of the CA
     * (default false): a client that trusts only the CA refuses it.
     */
    public Builder selfSigned(boolean selfSigned) {
      this.selfSigned = selfSigned;
      return this;
    }

    /** The key algorithm; default {@link KeyType#EC}. */
    public Builder keyType(KeyType keyType) {
      this.keyType = Objects.requireNonNull(keyType, "keyType");
      return this;
    }

    /**
     * The validity of the server and client certificates; default from an hour ago to 30 days
     * ahead. A period in the past makes expired certificates.
     */
    public Builder validity(Instant notBefore, Instant notAfter) {
      Objects.requireNonNull(notBefore, "notBefore");
      Objects.requireNonNull(notAfter, "notAfter");
      if (!notAfter.isAfter(notBefore)) {
        throw new IllegalArgumentException(
            "validity must end after it starts, was " + notBefore + " to " + notAfter);
      }
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      return this;
    }

    /** Generates the keys and signs the certificates. */
    public TestCertificates build() {
      return new TestCertificates(this);
    }
  }

  // ---- helpers

  static KeyStore keyStoreOf(String alias, PrivateKey key, List<X509Certificate> chain) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, key, KEYSTORE_PASSWORD.toCharArray(),
          chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make a key store", e);
    }
  }

  static KeyStore trustStoreOf(X509Certificate... trusted) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < trusted.length; i++) {
        store.setCertificateEntry(i == 0 ? "ca" : "ca-" + i, trusted[i]);
      }
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make a trust store", e);
    }
  }

  /** A TLS context with {@code keys} (or none) and trusting {@code trust} (or nothing). */
  static SSLContext sslContext(KeyStore keys, KeyStore trust) {
    try {
      KeyManagerFactory kmf = null;
      if (keys != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, KEYSTORE_PASSWORD.toCharArray());
      }
      TrustManagerFactory tmf = null;
      if (trust != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS context", e);
    }
  }

  private static KeyPair generate(KeyType type) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type.name());
      generator.initialize(type == KeyType.EC ? 256 : 2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + type + " key pair", e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static byte[] encoded(Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode a certificate", e);
    }
  }

  private static String certificates(List<X509Certificate> chain) {
    StringBuilder out = new StringBuilder();
    chain.forEach(c -> out.append(pem("CERTIFICATE", encoded(c))));
    return out.toString();
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
