package dev.tributary.internal.codec;

/**
 * A map whose fields can be read by position, in order: the encoder walks it by index instead of
 * through entry objects. Implemented by the filters' record map; {@link #size()} is the map's.
 */
public interface Fields {

  /** The number of fields. */
  int size();

  /** The key of field {@code i}, {@code 0 <= i < size()}. */
  Object keyAt(int i);

  /** The value of field {@code i}, {@code 0 <= i < size()}. */
  Object valueAt(int i);
}
