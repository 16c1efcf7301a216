/**
 * The soak behind {@code benchmarks/soak.sh}: minutes of sequence-numbered events delivered
 * through a {@link dev.tributary.testkit.FaultProxy} to {@link dev.tributary.testkit.ForwardServer}s
 * while faults come and go, then checks that nothing was lost and nothing leaked.
 *
 * <p>{@link dev.tributary.benchmarks.soak.Soak} runs it; {@link
 * dev.tributary.benchmarks.soak.Emitter} emits, {@link dev.tributary.benchmarks.soak.FaultInjector}
 * breaks things, {@link dev.tributary.benchmarks.soak.Servers} and {@link
 * dev.tributary.benchmarks.soak.Receipts} collect what arrived, {@link
 * dev.tributary.benchmarks.soak.Probes} measures threads, descriptors and heap.
 */
package dev.tributary.benchmarks.soak;
