package dev.tributary.testkit;

import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;

/**
 * The settings a {@link ForwardServer} started with ({@link ForwardServer#config()}). Set through
 * {@link ForwardServer#builder()}, whose {@link Builder#build()} starts the server; every value is
 * checked where it is set.
 *
 * <p>Immutable and thread safe; one config can start any number of servers. Owns nothing.
 *
 * <pre>{@code
 * try (ForwardServer server = ForwardServer.builder().countOnly(true).build()) {
 *   ForwardServerConfig config = server.config();
 *   try (ForwardServer twin = config.start()) {
 *     // a second server with the same settings, on its own free port
 *   }
 * }
 * }</pre>
 */
public final class ForwardServerConfig {
  /** Port 0: the OS picks a free port, so parallel test runs never collide. */
  public static final int DEFAULT_PORT = 0;

  /** 0: the OS default receive buffer, which allows autotuning and the fastest reads. */
  public static final int DEFAULT_RECEIVE_BUFFER_SIZE = 0;

  /** No ack delay: acks go out as soon as a request's events are stored. */
  public static final Duration DEFAULT_ACK_DELAY = Duration.ZERO;

  /** A size limit that never applies; pass it to turn a limit off again. */
  public static final long NO_SIZE_LIMIT = Long.MAX_VALUE;

  /** {@link #NO_SIZE_LIMIT}: like Fluentd, whose {@code chunk_size_limit} has no default. */
  public static final long DEFAULT_DROP_REQUESTS_OVER = NO_SIZE_LIMIT;

  /**
   * {@link #NO_SIZE_LIMIT}, unlike Fluent Bit, whose {@code buffer_max_size} is 6,144,000 bytes:
   * a test server accepts anything unless a test asks for the limit.
   */
  public static final long DEFAULT_RESET_ON_REQUEST_OVER = NO_SIZE_LIMIT;

  /** With TLS on: TLS 1.2 and 1.3, as Fluent Bit accepts by default (Fluentd: only 1.2). */
  public static final List<String> DEFAULT_TLS_PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  /**
   * The server hostname in a PONG: a name no client uses for itself, so a client that refuses a
   * PONG carrying its own hostname (as Fluentd's does) is not tripped by the default.
   */
  public static final String DEFAULT_SELF_HOSTNAME = "forward-server";

  /** {@link HandshakeFlavour#FLUENTD}. */
  public static final HandshakeFlavour DEFAULT_HANDSHAKE_FLAVOUR = HandshakeFlavour.FLUENTD;

  private final int port;
  private final boolean countOnly;
  private final int receiveBufferSize;
  private final Duration ackDelay;
  private final ServerSocketFactory socketFactory;
  private final ConnectionSetup connectionSetup;
  private final long dropRequestsOver;
  private final long resetOnRequestOver;
  private final boolean denyKeepalive;
  private final ServerTls tls;
  private final Handshake.Settings security;

  private ForwardServerConfig(Builder b) {
    this.port = b.port;
    this.countOnly = b.countOnly;
    this.receiveBufferSize = b.receiveBufferSize;
    this.ackDelay = b.ackDelay;
    this.tls = b.tlsKey == null ? null
        : new ServerTls(b.tlsKey, b.tlsChain, b.tlsProtocols, b.trustedClientIssuers);
    this.socketFactory = tls == null ? b.socketFactory : tls.socketFactory();
    this.security = b.sharedKey == null ? null : new Handshake.Settings(b.sharedKey,
        b.selfHostname, b.users, b.flavour, b.wrongServerKey, b.emptyAuth);
    this.connectionSetup = security == null ? b.connectionSetup
        : new Handshake(security).andThen(b.connectionSetup);
    this.dropRequestsOver = b.dropRequestsOver;
    this.resetOnRequestOver = b.resetOnRequestOver;
    this.denyKeepalive = b.denyKeepalive;
  }

  /** Binds and starts a server with these settings. */
  public ForwardServer start() {
    return ForwardServer.open(this);
  }

  /** The port to bind on 127.0.0.1; 0 means any free port. */
  public int port() {
    return port;
  }

  /** Whether the server only counts events instead of keeping them. */
  public boolean countOnly() {
    return countOnly;
  }

  /** {@code SO_RCVBUF} for accepted connections in bytes, or 0 for the OS default. */
  public int receiveBufferSize() {
    return receiveBufferSize;
  }

  /** The ack delay the server starts with. */
  public Duration ackDelay() {
    return ackDelay;
  }

  /** The {@code dropRequestsOver} size limit the server starts with, in bytes. */
  public long dropRequestsOver() {
    return dropRequestsOver;
  }

  /** The {@code resetOnRequestOver} size limit the server starts with, in bytes. */
  public long resetOnRequestOver() {
    return resetOnRequestOver;
  }

  /** Whether the server starts resetting each connection after its first request. */
  public boolean denyKeepalive() {
    return denyKeepalive;
  }

  /** Whether the server listens with TLS. */
  public boolean tls() {
    return tls != null;
  }

  /** The TLS protocol versions the server accepts; empty without TLS. */
  public List<String> tlsProtocols() {
    return tls == null ? List.of() : tls.protocols();
  }

  /** Whether the server requires a client certificate (mutual TLS). */
  public boolean clientCertificateRequired() {
    return tls != null && tls.clientCertificateRequired();
  }

  /** The shared key of the handshake, or {@code null} when the server runs no handshake. */
  public String sharedKey() {
    return security == null ? null : security.sharedKey();
  }

  /** The server hostname the handshake's PONG carries. */
  public String selfHostname() {
    return security == null ? DEFAULT_SELF_HOSTNAME : security.selfHostname();
  }

  /** The handshake's users, username to password; empty when there is no user auth. */
  public Map<String, String> users() {
    return security == null ? Map.of() : security.users();
  }

  /** Which real server's handshake the server plays. */
  public HandshakeFlavour handshakeFlavour() {
    return security == null ? DEFAULT_HANDSHAKE_FLAVOUR : security.flavour();
  }

  /** Whether the PONG's digest is computed from a wrong shared key. */
  public boolean wrongServerKey() {
    return security != null && security.wrongServerKey();
  }

  /** Whether the HELO's auth is empty. */
  public boolean emptyAuth() {
    return security != null && security.emptyAuth();
  }

  ServerSocketFactory socketFactory() {
    return socketFactory;
  }

  ConnectionSetup connectionSetup() {
    return connectionSetup;
  }

  static long checkSizeLimit(String name, long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + bytes);
    }
    return bytes;
  }

  /**
   * Sets up and starts a {@link ForwardServer}: {@link #build()} binds and returns the running
   * server, as {@code Tributary.builder().build()} returns a running instance. Not thread safe;
   * confine a builder to one thread.
   *
   * <pre>{@code
   * try (ForwardServer server = ForwardServer.builder().receiveBufferSize(4096).build()) {
   *   // ...
   * }
   * }</pre>
   */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private boolean countOnly;
    private int receiveBufferSize = DEFAULT_RECEIVE_BUFFER_SIZE;
    private Duration ackDelay = DEFAULT_ACK_DELAY;
    private ServerSocketFactory socketFactory = ServerSocketFactory.getDefault();
    private ConnectionSetup connectionSetup = ConnectionSetup.NONE;
    private long dropRequestsOver = DEFAULT_DROP_REQUESTS_OVER;
    private long resetOnRequestOver = DEFAULT_RESET_ON_REQUEST_OVER;
    private boolean denyKeepalive;
    private PrivateKey tlsKey;
    private List<X509Certificate> tlsChain;
    private List<String> tlsProtocols = DEFAULT_TLS_PROTOCOLS;
    private List<X509Certificate> trustedClientIssuers = List.of();
    private String sharedKey;
    private String selfHostname = DEFAULT_SELF_HOSTNAME;
    private Map<String, String> users = Map.of();
    private HandshakeFlavour flavour = DEFAULT_HANDSHAKE_FLAVOUR;
    private boolean wrongServerKey;
    private boolean emptyAuth;

    Builder() {}

    /** The port to bind on 127.0.0.1, 0..65535; default {@link #DEFAULT_PORT} (any free port). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be within 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Whether to count events without keeping them (default false). For load tests and
     * benchmarks: events are skipped rather than decoded, so {@code events()} stays empty and
     * {@code awaitEvents} throws; {@code eventCount()}, {@code awaitEventCount}, {@code
     * requestCount()} and the acks work as usual, and {@code requests()} / {@code awaitRequests}
     * still show each request's metadata (mode, tag, event count, options, chunk id, size) for the
     * first {@value ForwardServer#COUNT_ONLY_REQUESTS_KEPT} requests.
     */
    public Builder countOnly(boolean countOnly) {
      this.countOnly = countOnly;
      return this;
    }

    /**
     * {@code SO_RCVBUF} for accepted connections, in bytes; 0 (the default) keeps the OS default.
     * A small buffer lets a test with {@code stallReading(true)} fill it, and block the client,
     * quickly. The OS may round the value.
     */
    public Builder receiveBufferSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("receiveBufferSize must be >= 0, was " + bytes);
      }
      this.receiveBufferSize = bytes;
      return this;
    }

    /** The ack delay to start with; see {@link ForwardServer#ackDelay(Duration)}. */
    public Builder ackDelay(Duration delay) {
      this.ackDelay = ForwardServer.checkAckDelay(delay);
      return this;
    }

    /**
     * The size limit to start with, like Fluentd's {@code chunk_size_limit}; default {@link
     * #DEFAULT_DROP_REQUESTS_OVER} (none). See {@link ForwardServer#dropRequestsOver(long)}.
     */
    public Builder dropRequestsOver(long bytes) {
      this.dropRequestsOver = checkSizeLimit("dropRequestsOver", bytes);
      return this;
    }

    /**
     * The size limit to start with, like Fluent Bit's {@code buffer_max_size}; default {@link
     * #DEFAULT_RESET_ON_REQUEST_OVER} (none). See {@link ForwardServer#resetOnRequestOver(long)}.
     */
    public Builder resetOnRequestOver(long bytes) {
      this.resetOnRequestOver = checkSizeLimit("resetOnRequestOver", bytes);
      return this;
    }

    /**
     * Whether to start like Fluentd with {@code deny_keepalive true} (default false). See {@link
     * ForwardServer#denyKeepalive(boolean)}.
     */
    public Builder denyKeepalive(boolean deny) {
      this.denyKeepalive = deny;
      return this;
    }

    /**
     * Listens with TLS, presenting {@code certificates}' server certificate and chain. See {@link
     * #tls(PrivateKey, List)}.
     */
    public Builder tls(TestCertificates certificates) {
      Objects.requireNonNull(certificates, "certificates");
      return tls(certificates.serverKey(), certificates.serverChain());
    }

    /**
     * Listens with TLS, presenting {@code chain} (leaf first) and proving it with {@code key};
     * every connection negotiates TLS before anything else. A failed TLS handshake is recorded
     * ({@link ForwardServer#tlsFailures()}, and in {@link ForwardServer#protocolErrors()}) and
     * closes that connection only; a successful one is described in {@link
     * ForwardServer#tlsSessions()}.
     */
    public Builder tls(PrivateKey key, List<X509Certificate> chain) {
      Objects.requireNonNull(key, "key");
      if (chain == null || chain.isEmpty() || chain.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("tls needs a certificate chain, was " + chain);
      }
      this.tlsKey = key;
      this.tlsChain = List.copyOf(chain);
      return this;
    }

    /**
     * The TLS protocol versions to accept, such as {@code "TLSv1.2"} alone to play a Fluentd
     * with its default {@code <transport tls>}; default {@link #DEFAULT_TLS_PROTOCOLS}. Needs
     * {@link #tls}.
     *
     * @throws IllegalArgumentException if none is given or one is unknown to this JDK
     */
    public Builder tlsProtocols(String... protocols) {
      List<String> supported = supportedTlsProtocols();
      if (protocols.length == 0 || !supported.containsAll(Arrays.asList(protocols))) {
        throw new IllegalArgumentException("tlsProtocols must be some of " + supported + ", was "
            + Arrays.toString(protocols));
      }
      this.tlsProtocols = List.of(protocols);
      return this;
    }

    /**
     * Requires every client to present a certificate that chains to one of {@code trusted}
     * (mutual TLS, Fluentd's {@code client_cert_auth}); a client without one fails the TLS
     * handshake. For {@link TestCertificates}, pass {@code certificates.caCertificate()}. Needs
     * {@link #tls}.
     */
    public Builder requireClientCertificate(X509Certificate... trusted) {
      if (trusted.length == 0 || Arrays.asList(trusted).contains(null)) {
        throw new IllegalArgumentException(
            "requireClientCertificate needs trusted certificates, was " + Arrays.toString(trusted));
      }
      this.trustedClientIssuers = List.of(trusted);
      return this;
    }

    /**
     * Turns on the shared-key handshake ({@code <security>}) with this key, which may be empty:
     * on connect the server sends HELO, checks the client's PING and answers PONG before it
     * serves requests, or refuses as the {@link #handshakeFlavour} does. Every handshake is
     * recorded in {@link ForwardServer#handshakes()}; refusals also in {@link
     * ForwardServer#protocolErrors()}.
     */
    public Builder sharedKey(String key) {
      this.sharedKey = Objects.requireNonNull(key, "sharedKey");
      return this;
    }

    /**
     * The server hostname in the PONG; default {@link #DEFAULT_SELF_HOSTNAME}. Needs {@link
     * #sharedKey}.
     */
    public Builder selfHostname(String hostname) {
      this.selfHostname = Objects.requireNonNull(hostname, "selfHostname");
      return this;
    }

    /**
     * Turns on user auth: a PING must carry one of these usernames and the digest of its
     * password (username to password). Default none, when the PING's username and password
     * digest are not checked. Needs {@link #sharedKey}.
     */
    public Builder users(Map<String, String> users) {
      Objects.requireNonNull(users, "users");
      users.forEach((name, password) -> {
        if (name == null || password == null) {
          throw new IllegalArgumentException("users must not hold null, was " + users);
        }
      });
      this.users = Map.copyOf(users);
      return this;
    }

    /**
     * Whose handshake to play; default {@link #DEFAULT_HANDSHAKE_FLAVOUR}. Needs {@link
     * #sharedKey}.
     */
    public Builder handshakeFlavour(HandshakeFlavour flavour) {
      this.flavour = Objects.requireNonNull(flavour, "handshakeFlavour");
      return this;
    }

    /**
     * With {@code true}, a server that does not know the key: it accepts every PING it would
     * accept, but its PONG's digest is computed from another key, so a client that verifies the
     * PONG (as it must) refuses the server. Default false. Needs {@link #sharedKey}.
     */
    public Builder wrongServerKey(boolean wrong) {
      this.wrongServerKey = wrong;
      return this;
    }

    /**
     * With {@code true}, the HELO's {@code auth} is an empty str, as the old
     * fluent-plugin-secure-forward sent it without user auth (Fluentd and Fluent Bit always send
     * 16 random bytes): for testing that a client then sends {@code ""} as username and password
     * digest. Default false. Needs {@link #sharedKey}, and no {@link #users}.
     */
    public Builder emptyAuth(boolean empty) {
      this.emptyAuth = empty;
      return this;
    }

    /** Where listening sockets come from, for a server without {@link #tls}. */
    Builder socketFactory(ServerSocketFactory factory) {
      this.socketFactory = Objects.requireNonNull(factory, "socketFactory");
      return this;
    }

    /** What each connection runs before reading requests, after any shared-key handshake. */
    Builder connectionSetup(ConnectionSetup setup) {
      this.connectionSetup = Objects.requireNonNull(setup, "connectionSetup");
      return this;
    }

    /**
     * Binds 127.0.0.1 and starts a server with these settings; close it when done.
     *
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public ForwardServer build() {
      checkCombination();
      return new ForwardServerConfig(this).start();
    }

    /** Options that only make sense with another one. */
    private void checkCombination() {
      if (tlsKey == null && (tlsProtocols != DEFAULT_TLS_PROTOCOLS
          || !trustedClientIssuers.isEmpty())) {
        throw new IllegalStateException("tlsProtocols and requireClientCertificate need tls(...)");
      }
      if (sharedKey == null && (!selfHostname.equals(DEFAULT_SELF_HOSTNAME) || !users.isEmpty()
          || flavour != DEFAULT_HANDSHAKE_FLAVOUR || wrongServerKey || emptyAuth)) {
        throw new IllegalStateException("selfHostname, users, handshakeFlavour, wrongServerKey "
            + "and emptyAuth need sharedKey(...)");
      }
      if (emptyAuth && !users.isEmpty()) {
        throw new IllegalStateException("emptyAuth cannot be combined with users: user auth "
            + "needs the HELO's auth bytes");
      }
    }

    private static List<String> supportedTlsProtocols() {
      try {
        return List.of(SSLContext.getDefault().getSupportedSSLParameters().getProtocols());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JDK has no TLS", e);
      }
    }

    /** The same as {@link #build()}: binds and starts the server. */
    public ForwardServer start() {
      return build();
    }
  }
}
