package dev.tributary.internal.buffer;

/**
 * The fields of a {@link Stripe}, written by the threads that append to it, its lock word among
 * them, laid out between the padding of {@link StripePadding} and that of {@link Stripe}.
 */
abstract class StripeFields extends StripePadding {
  /** The lock: 0 free, 1 held; see {@link Stripe}. */
  volatile int lockWord;
  /** The queue of threads parked for the lock, made when the lock is first found held; see {@link Stripe}. */
  volatile Stripe.Waiters waiters;
  /** The open chunk: null, or holding at least one record. */
  Chunk open;
  /** A chunk was opened here since the flusher last looked. */
  boolean opened;
  /** Appends that found the lock held, since the flusher last reset the count. */
  int contended;
  /**
   * Set (under the lock) when a chunk opens here and the stripe is not yet among those the flusher
   * watches for deadlines; cleared by the flusher when it finds no chunk open.
   */
  boolean armed;
  /** Link in the stack of newly armed stripes. */
  Stripe nextArmed;
  /** The creation time the flusher's deadline heap orders this stripe by; no later than its open chunk's. */
  long dueKey;

  /**
   * Events appended here, ever: written under the lock by the appender, read by any thread
   * ({@link Stripe#appendedCount()}). Counting here instead of in a shared counter costs the
   * append no atomic instruction and no cache line another thread writes.
   */
  long appended;
  /**
   * Fills the two bytes left after the two booleans (with compressed references), so that no field
   * of a subclass is laid out among the written ones.
   */
  short spare;
}
