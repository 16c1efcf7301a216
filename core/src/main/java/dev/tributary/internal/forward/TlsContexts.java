package dev.tributary.internal.forward;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the client's TLS socket factory from {@link TlsSettings}, once, at {@code build()}: a
 * bad file or password is a configuration error naming the option, not a failure at the first
 * connection.
 */
final class TlsContexts {

  private TlsContexts() {}

  static SSLSocketFactory socketFactory(TlsSettings s) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keyManagers(s), trustManagers(s), null);
      List<String> supported = Arrays.asList(ctx.getSupportedSSLParameters().getProtocols());
      for (String p : s.protocols()) {
        if (!supported.contains(p)) {
          throw new IllegalArgumentException("tlsMinVersion/tlsMaxVersion: " + p
              + " is not supported by this JDK (supported: " + supported + ")");
        }
      }
      return ctx.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("tls: cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(TlsSettings s) throws GeneralSecurityException, IOException {
    KeyStore ks;
    char[] password;
    if (s.certFile() != null || s.keyFile() != null) {
      if (s.certFile() == null || s.keyFile() == null) {
        throw new IllegalArgumentException("tlsCertFile and tlsKeyFile go together: both or neither");
      }
      List<Certificate> chain = Pem.certificates(s.certFile(), "tlsCertFile");
      PrivateKey key = Pem.privateKey(s.keyFile(), "tlsKeyFile");
      password = new char[0];
      ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
    } else if (s.keyStore() != null) {
      password = s.keyStorePassword() == null ? new char[0] : s.keyStorePassword();
      ks = load(s.keyStore(), password, "tlsKeyStore");
    } else {
      return null;
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    return kmf.getKeyManagers();
  }

  private static TrustManager[] trustManagers(TlsSettings s) throws GeneralSecurityException, IOException {
    if (s.insecure()) {
      return new TrustManager[] {new TrustAll()};
    }
    if (s.trustStore() != null) {
      char[] pw = s.trustStorePassword();
      return tmf(load(s.trustStore(), pw, "tlsTrustStore")).getTrustManagers();
    }
    if (s.caFile() != null) {
      KeyStore cas = KeyStore.getInstance("PKCS12");
      cas.load(null, null);
      int i = 0;
      for (Certificate c : Pem.certificates(s.caFile(), "tlsCaFile")) {
        cas.setCertificateEntry("ca-" + i++, c);
      }
      X509ExtendedTrustManager extra = extended(tmf(cas));
      X509ExtendedTrustManager jdk = extended(tmf(null));
      return new TrustManager[] {new Either(jdk, extra)};
    }
    return null; // the JDK's trust
  }

  private static KeyStore load(Path file, char[] password, String option) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
      ks.load(in, password);
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(option + ": cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  private static TrustManagerFactory tmf(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    return f;
  }

  private static X509ExtendedTrustManager extended(TrustManagerFactory f) {
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager) {
        return (X509ExtendedTrustManager) tm;
      }
    }
    throw new IllegalStateException("no X509ExtendedTrustManager in " + Arrays.toString(f.getTrustManagers()));
  }

  /** Trusts what the JDK trusts, and the configured CAs; reports the CAs' verdict on failure. */
  private static final class Either extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager jdk;
    private final X509ExtendedTrustManager extra;

    Either(X509ExtendedTrustManager jdk, X509ExtendedTrustManager extra) {
      this.jdk = jdk;
      this.extra = extra;
    }

    /** One verification, run against either trust manager. */
    private interface Check {
      void run(X509ExtendedTrustManager tm) throws CertificateException;
    }

    /** The configured CAs first; failing that the JDK's; failing both, the CAs' reason. */
    private void either(Check check) throws CertificateException {
      try {
        check.run(extra);
      } catch (CertificateException configured) {
        try {
          check.run(jdk);
        } catch (CertificateException ignored) {
          throw configured;
        }
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      either(tm -> tm.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      either(tm -> tm.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      either(tm -> tm.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("a client does not check client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      throw new CertificateException("a client does not check client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a client does not check client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> all = new ArrayList<>(Arrays.asList(extra.getAcceptedIssuers()));
      all.addAll(Arrays.asList(jdk.getAcceptedIssuers()));
      return all.toArray(new X509Certificate[0]);
    }
  }

  /** {@code tlsInsecure}: accepts any certificate for any host. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
