package dev.tributary.internal.buffer;

/**
 * The 128 bytes a {@link Stripe} starts with. The heap may put any object right before a stripe:
 * the stripe's tag buffer's array of stripes, which every appender of the tag reads, or another
 * thread's chunk. Without this padding the first fields a stripe's appenders write would share a
 * cache line with that object, and two cores would pass the line back and forth on every append
 * (with two threads on two stripes of one tag, measured: a call took 1.5 to 2 times as long,
 * depending on where the heap put the objects). {@link Stripe} pads after the fields in the same
 * way; {@code StripeTest} checks the layout.
 */
abstract class StripePadding {
  /** Fills the four bytes after a compressed object header, where a subclass's field would go. */
  int lead;
  long lead00, lead01, lead02, lead03, lead04, lead05, lead06, lead07;
  long lead08, lead09, lead10, lead11, lead12, lead13, lead14, lead15;
}
