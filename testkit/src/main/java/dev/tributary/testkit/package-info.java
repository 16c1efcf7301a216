/**
 * A scriptable Fluentd forward-protocol server for tests, in the spirit of OkHttp's
 * MockWebServer.
 *
 * <p>{@link dev.tributary.testkit.ForwardServer} listens on 127.0.0.1, decodes what clients send
 * into {@link dev.tributary.testkit.ReceivedEvent}s and {@link
 * dev.tributary.testkit.ReceivedRequest}s, acks like Fluentd, and can be told to misbehave
 * ({@link dev.tributary.testkit.Fault}, cut connections, stall, refuse, delay acks, real
 * aggregators' size limits and keepalive refusal). It also listens with TLS, with certificates
 * from {@link dev.tributary.testkit.TestCertificates}, and runs Fluentd's or Fluent Bit's
 * shared-key handshake ({@link dev.tributary.testkit.HandshakeFlavour}), recording each {@link
 * dev.tributary.testkit.ReceivedHandshake}. {@link dev.tributary.testkit.FaultProxy} sits
 * in front of it and plays the network: black hole, reset mid-request, slow link, partition, host
 * down, server moved.
 *
 * <pre>{@code
 * try (ForwardServer server = ForwardServer.start()) {
 *   server.enqueueFault(Fault.NO_ACK);
 *   // ... run the client against server.host() and server.port() ...
 *   server.awaitEvents(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
package dev.tributary.testkit;
