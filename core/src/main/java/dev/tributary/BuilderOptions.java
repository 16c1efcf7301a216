package dev.tributary;

import dev.tributary.Tributary.Builder;
import dev.tributary.internal.config.OptionTable;
import dev.tributary.internal.config.OptionTable.Option;
import dev.tributary.internal.config.OptionTable.TextSetter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every option of {@link Tributary.Builder}, declared once: name, documented default, meaning and
 * text form. {@link Builder#option(String, String)}, {@link Builder#OPTIONS}, the logging adapters'
 * option names and README's options table all come from here ({@code ReadmeOptionsTest} renders
 * the table and compares it with README). The typed setters of the builder check the values.
 */
final class BuilderOptions {

  private static final TextSetter<Builder> SERVERS = (b, n, t) -> b.servers(n, t);

  static final OptionTable<Builder> TABLE = OptionTable.<Builder>rows()
      .row(List.of(new Option<>("server", SERVERS), new Option<>("servers", SERVERS)),
          "`server(host, port[, weight, standby])` / `servers(\"h1:24224,h2:24224\")`",
          "required",
          "aggregators. Chunks are spread over the healthy primaries by weight (default `60`, as "
            + "Fluentd; `0` sends a server nothing), so servers of equal weight share the load; a "
            + "standby takes chunks only while every primary is down. See [Many "
            + "servers](#many-servers-weights-standby-and-health). As text, `server` and `servers` "
            + "both take `host:port[ weight=N][ standby][,...]` (`[v6addr]:port` for IPv6), e.g. "
            + "`a:24224 weight=60, b:24224 weight=40, c:24224 standby`")
      .row("requireAck", "`true`",
          "ask for an ack per chunk and free it only after the ack (at-least-once). Off: delivered "
            + "once written (at-most-once)",
          OptionTable.bool(Builder::requireAck))
      .row("ackTimeout", "`60s`",
          "each written chunk's ack must come within this. A chunk still unacknowledged while a "
            + "chunk written after it was acknowledged is one the server refused: it is split in two "
            + "and resent, the connection stays. When nothing written is acknowledged within it, the "
            + "connection is dropped and every unacknowledged chunk resent (those past their deadline "
            + "split)",
          OptionTable.duration(Builder::ackTimeout))
      .row("connectTimeout", "`5s`",
          "TCP connect timeout",
          OptionTable.duration(Builder::connectTimeout))
      .row("writeTimeout", "`10s`",
          "one request's write may block this long (a server that stopped reading) before the "
            + "connection is dropped",
          OptionTable.duration(Builder::writeTimeout))
      .row("maxInFlightChunks", "`16`",
          "chunks that may wait for their acks on one connection, so the round trip does not cap "
            + "throughput",
          OptionTable.integer(Builder::maxInFlightChunks))
      .row("bufferMaxBytes", "`64MiB`",
          "the one byte budget for all chunks: open, sealed and in flight",
          OptionTable.bytes(Builder::bufferMaxBytes))
      .row("bufferPath", "–",
          "a directory for the [file buffer](#the-file-buffer-bufferpath): set, every chunk lives in "
            + "a memory-mapped file there instead of on the heap, so a kill of the process loses no "
            + "accepted event, and what a previous run left is sent first. Created if needed and locked "
            + "(one instance per directory); a directory that cannot be made, written or locked is an "
            + "error at `build()` naming it. With declared outputs, each output has its own directory "
            + "`bufferPath/<output>/` (its own lock, recovery and disk budget)",
          (b, n, t) -> b.bufferPath(SecureOptions.path(n, t)))
      .row("fsync", "`ON_SEAL`",
          "when the file buffer forces its files to disk: `ON_SEAL` (each sealed chunk before it is "
            + "sent), `INTERVAL` (every `fsyncInterval`), `NONE` (when the OS likes). A process kill "
            + "loses nothing in any mode; see what each survives of a power loss in [the file "
            + "buffer](#the-file-buffer-bufferpath)",
          OptionTable.enumValue(FsyncMode.class, Builder::fsync))
      .row("fsyncInterval", "`1s`",
          "how often `fsync=INTERVAL` forces the files",
          OptionTable.duration(Builder::fsyncInterval))
      .row("fileBufferMaxBytes", "`1GiB`",
          "the file buffer's disk budget (each open chunk holds a file of `chunkMaxBytes` plus 1.6 "
            + "KB, cut to its length when sealed); `overflowPolicy` applies to it as to memory. At "
            + "least two chunk files. With declared outputs, each output's directory has this budget "
            + "of its own, as each has its own `bufferMaxBytes`",
          OptionTable.bytes(Builder::fileBufferMaxBytes))
      .row("chunkMaxBytes", "`1MiB`",
          "a chunk seals before its entries would pass this; an event is never split, so this is "
            + "also the largest event (see `maxRequestBytes`)",
          OptionTable.intBytes(Builder::chunkMaxBytes))
      .row("chunkMaxRecords", "`0` (none)",
          "a chunk seals at this many events",
          OptionTable.integer(Builder::chunkMaxRecords))
      .row("maxRequestBytes", "`6000000`",
          "no request is larger: chunks are cut to fit. Below Fluent Bit's default "
            + "`buffer_max_size` (6,144,000), over which it closes the connection. As low as `1KiB`, "
            + "to match a small server limit (Fluentd's `chunk_size_limit`). The largest event, "
            + "encoded, is the smallest of `maxEventBytes`, `chunkMaxBytes` and `maxRequestBytes` less "
            + "the request's framing (about 140 bytes plus the tag); a larger one is dropped as "
            + "`TOO_LARGE`",
          OptionTable.intBytes(Builder::maxRequestBytes))
      .row("maxEventBytes", "`0` (as `chunkMaxBytes`)",
          "the largest encoded event accepted; encoding stops as soon as an event passes it, so a "
            + "300 MB string costs the caller no more than this many bytes of work before it is "
            + "dropped as `TOO_LARGE`. At most `chunkMaxBytes`",
          OptionTable.intBytes(Builder::maxEventBytes))
      .row("rejectedAttempts", "`3`",
          "a single event the server leaves unacknowledged (or resets the connection on) this many "
            + "times, while the same server acknowledges other requests, is given up as `REJECTED` "
            + "(listener told, with the tag). A server that acknowledges nothing is down, not "
            + "rejecting: its events wait and are retried",
          OptionTable.integer(Builder::rejectedAttempts))
      .row("heartbeatType", "`TRANSPORT`",
          "how each server is checked between chunks (Fluentd's `heartbeat_type`): `TRANSPORT` "
            + "opens a connection as for data, TLS and shared-key handshakes included, and closes it; "
            + "`UDP` sends the byte `0x00` to the server's port and counts a datagram back (Fluentd "
            + "answers, **Fluent Bit does not**: there only acks keep a server healthy); `NONE`: no "
            + "heartbeat thread and no failure detector, every server counts as healthy",
          OptionTable.enumValue(HeartbeatType.class, Builder::heartbeatType))
      .row("heartbeatInterval", "`1s`",
          "how often each server gets a heartbeat",
          OptionTable.duration(Builder::heartbeatInterval))
      .row("phiThreshold", "`16`",
          "the phi accrual failure detector detaches a server once phi passes this: with "
            + "heartbeats every second, `16` is about 37 s without one. Lower detects sooner",
          OptionTable.integer(Builder::phiThreshold))
      .row("hardTimeout", "`60s`",
          "a server without a heartbeat for this long is detached whatever phi says. Longer than "
            + "`heartbeatInterval`",
          OptionTable.duration(Builder::hardTimeout))
      .row("recoverWait", "`10s`",
          "a detached server takes chunks again once it has answered heartbeats for about this long",
          OptionTable.duration(Builder::recoverWait))
      .row("flushInterval", "`200ms`",
          "how long an open chunk may linger: each chunk is sealed and sent at its own deadline, "
            + "`flushInterval` after its first event (never later; up to 20 ms earlier, so that chunks "
            + "due together go together)",
          OptionTable.duration(Builder::flushInterval))
      .row("overflowPolicy", "`BLOCK`",
          "what `emit` does when the budget is full: `BLOCK` (wait up to `maxBlock`, then drop), "
            + "`DROP_NEWEST`, `DROP_OLDEST` (evict the oldest unsent chunk), `THROW` "
            + "(`BufferFullException`; API only)",
          OptionTable.enumValue(OverflowPolicy.class, Builder::overflowPolicy))
      .row("maxBlock", "`100ms`",
          "the longest `emit` waits under `BLOCK`. After one wait runs out, later callers drop at "
            + "once until memory is freed, so a dead aggregator costs one bounded wait, not one per "
            + "call",
          OptionTable.duration(Builder::maxBlock))
      .row("retryInitialBackoff", "`100ms`",
          "first wait after a failed attempt; doubles per consecutive failure, ±12.5% jitter",
          OptionTable.duration(Builder::retryInitialBackoff))
      .row("retryMaxBackoff", "`10s`",
          "longest wait between attempts",
          OptionTable.duration(Builder::retryMaxBackoff))
      .row("retryMaxAttempts", "`0` (no limit)",
          "a chunk is given up (counted `RETRIES_EXHAUSTED`, listener told) after this many failed "
            + "attempts",
          OptionTable.integer(Builder::retryMaxAttempts))
      .row("retryTimeout", "`72h`",
          "a chunk is given up once this long has passed since its first failure (fluentd's "
            + "`retry_timeout`)",
          OptionTable.duration(Builder::retryTimeout))
      .row("compression", "`NONE`",
          "`GZIP` sends CompressedPackedForward",
          OptionTable.enumValue(Compression.class, Builder::compression))
      .row("timeAsInteger", "`false`",
          "integer seconds instead of EventTime (fluentd v0.12 peers)",
          OptionTable.bool(Builder::timeAsInteger))
      .row("legacyMsgpack", "`false`",
          "msgpack as fluentd v0.12 reads it: no str8, no bin. Use with `timeAsInteger` for v0.12",
          OptionTable.bool(Builder::legacyMsgpack))
      .row("closeTimeout", "`10s`",
          "the timeout of `close()`",
          OptionTable.duration(Builder::closeTimeout))
      .row("reportInterval", "`30s`",
          "at most one loss summary per interval to the listener",
          OptionTable.duration(Builder::reportInterval))
      .row("tls", "`false`",
          "connect with TLS (Fluentd's `transport tls`, Fluent Bit's `tls on`): the server's "
            + "certificate verified against the JDK's trust (or `tlsCaFile` / `tlsTrustStore`) and its "
            + "host name checked; the handshake completes inside connect, within `connectTimeout`. See "
            + "[Secure forward](#secure-forward-tls-and-the-shared-key)",
          OptionTable.bool(Builder::tls))
      .row("tlsCaFile", "–",
          "PEM file of CA certificates trusted in addition to the JDK's (Fluentd's `tls_cert_path`)",
          (b, n, t) -> b.tlsCaFile(SecureOptions.path(n, t)))
      .row(linked("tlsTrustStore", (b, n, t) -> b.tlsTrustStore(SecureOptions.path(n, t)), "tlsTrustStorePassword", (b, n, t) -> b.tlsTrustStorePassword(SecureOptions.text(n, t))),
          "–",
          "a PKCS12 (or `.jks`) key store of trusted certificates, used instead of the JDK's trust")
      .row(linked("tlsCertFile", (b, n, t) -> b.tlsCertFile(SecureOptions.path(n, t)), "tlsKeyFile", (b, n, t) -> b.tlsKeyFile(SecureOptions.path(n, t))),
          "–",
          "this client's PEM certificate chain and unencrypted PKCS#8 key (`BEGIN PRIVATE KEY`), "
            + "for mutual TLS")
      .row(linked("tlsKeyStore", (b, n, t) -> b.tlsKeyStore(SecureOptions.path(n, t)), "tlsKeyStorePassword", (b, n, t) -> b.tlsKeyStorePassword(SecureOptions.text(n, t))),
          "–",
          "the same from a PKCS12 (or `.jks`) key store")
      .row("tlsMinVersion", "`TLSv1.2`",
          "lowest TLS version (`TLSv1.2` or `TLSv1.3`; `1.2` and `1.3` also accepted)",
          OptionTable.text(Builder::tlsMinVersion))
      .row("tlsMaxVersion", "`TLSv1.3`",
          "highest TLS version",
          OptionTable.text(Builder::tlsMaxVersion))
      .row("tlsInsecure", "`false`",
          "no certificate and no host name verification at all, for test setups; said once to the "
            + "listener at start",
          OptionTable.bool(Builder::tlsInsecure))
      .row("sharedKey", "–",
          "the shared key of the servers' `<security>`: every new connection runs the HELO / PING "
            + "/ PONG handshake before any event, and the server must prove it knows the key too. "
            + "Never printed",
          OptionTable.text(Builder::sharedKey))
      .row("selfHostname", "–",
          "this client's name in the handshake (Fluentd's `self_hostname`); unset, the local host "
            + "name",
          OptionTable.text(Builder::selfHostname))
      .row(linked("username", OptionTable.text(Builder::username), "password", OptionTable.text(Builder::password)),
          "–",
          "user authentication of `<security>` (`<user>` sections); needs `sharedKey`. The "
            + "password is never printed")
      .row("config", "–",
          "a configuration file in Fluentd's syntax, a path or `classpath:name`, applied where it "
            + "stands: options set after it override it. See [Configuration "
            + "file](#configuration-file-in-fluentds-syntax)",
          OptionTable.text(Builder::config))
      .codeOnly("listener", "stderr, rate-limited",
          "code only: a `TributaryListener`: connection failures, chunks given up, loss summaries, "
            + "servers detached and recovered (called on Tributary's thread, never under a lock)")
      .row("name", "`default`",
          "names the threads: `tributary-flusher-<name>`, `tributary-acks-<name>`, "
            + "`tributary-heartbeat-<name>`",
          OptionTable.text(Builder::name))
      .row("jmx", "`true`",
          "register the MBean `dev.tributary:type=Tributary,name=<name>` at `build()`, removed at "
            + "`close()`: every counter, the servers and the health view as attributes (see "
            + "[Operations](#operations-jmx-health-micrometer)). A second instance with a name already "
            + "registered gets the first free of `<name>-2`, `<name>-3`, ... and the listener is told",
          OptionTable.bool(Builder::jmx))
      .codeOnly("socketFactory", "`SocketFactory.getDefault()`",
          "code only: creates the sockets")
      .codeOnly("clock", "`Clock.systemUTC()`",
          "code only: stamps events emitted without a time, and the servers' `lastErrorTime`")
      .codeOnly("output", "`output(name, spec)`", "one `forward` output to `server`, named `forward`",
          "code only: declares an output (`Outputs.forward()`, `stdout()`, `file(path)`, "
            + "`nullOutput()`) with its own buffer and thread. See [Routes and "
            + "outputs](#routes-and-outputs)")
      .codeOnly("match", "`match(pattern, outputs...)`", "`**` to the one output",
          "code only: routes the tags that fit a Fluentd pattern to these outputs, a copy to each; "
            + "the first route that fits wins")
      .codeOnly("filter", "`filter(Filter...)`", "none",
          "code only: filters every event passes, in order, on the emitting thread, before it is "
            + "encoded. See [Filters](#filters)")
      .build();

  private BuilderOptions() {}

  /** Two options documented in one row, in this order. */
  private static Map<String, TextSetter<Builder>> linked(String first, TextSetter<Builder> firstSetter,
      String second, TextSetter<Builder> secondSetter) {
    Map<String, TextSetter<Builder>> m = new LinkedHashMap<>();
    m.put(first, firstSetter);
    m.put(second, secondSetter);
    return m;
  }
}
