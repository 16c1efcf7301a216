package dev.tributary;

/**
 * Writes the fields of one record straight into the event's msgpack encoding, without a {@code
 * Map} in between: the logging adapters' allocation-free path. Handed to a {@link
 * RecordFormatter} and valid only during its {@code format} call, on that thread.
 *
 * <p>Keys must be unique within a record (the writer does not check); values follow the same
 * mapping as {@link Tributary#emit(String, java.util.Map)}.
 */
public interface RecordWriter {

  RecordWriter field(String key, String value);

  /**
   * Text from a reused builder, encoded straight from it: no {@code String} is made. The
   * characters are read during this call only.
   */
  RecordWriter field(String key, CharSequence value);

  RecordWriter field(String key, long value);

  RecordWriter field(String key, double value);

  RecordWriter field(String key, boolean value);

  /** Any value type {@code emit} accepts: numbers stay numbers, maps and lists nest. */
  RecordWriter field(String key, Object value);
}
