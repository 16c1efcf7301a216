/**
 * Tributary side by side with the libraries an application would otherwise pick, in one run on
 * one record: the suite behind {@code benchmarks/run-suite.sh}.
 *
 * <p>Every measure drives a {@link dev.tributary.benchmarks.peers.Subject} (one library, started
 * against a {@link dev.tributary.benchmarks.peers.Sink} that counts what arrives) chosen by name
 * from {@link dev.tributary.benchmarks.peers.Subjects}; a new variant (file buffer, TLS, a filter)
 * is one more entry there. The measures: {@link dev.tributary.benchmarks.peers.PeerEmitBenchmark}
 * (call cost, JMH), {@link dev.tributary.benchmarks.peers.PeerEndToEndBenchmark} (delivered
 * events/s, JMH), {@link dev.tributary.benchmarks.peers.DrainRunner}, {@link
 * dev.tributary.benchmarks.peers.StalledRunner} and {@link dev.tributary.benchmarks.peers.RssProbe}
 * (plain mains in child JVMs). {@link dev.tributary.benchmarks.peers.Suite} runs them all and
 * {@link dev.tributary.benchmarks.peers.SuiteReport} writes the Markdown table and the chart.
 *
 * <p>The peers are benchmark-only dependencies; nothing here is copied from them.
 */
package dev.tributary.benchmarks.peers;
