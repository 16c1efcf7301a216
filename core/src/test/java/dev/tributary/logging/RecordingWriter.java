package dev.tributary.logging;

import dev.tributary.RecordWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps the fields a formatter writes, in order, duplicates included (so a test can see them). */
final class RecordingWriter implements RecordWriter {
  final List<String> keys = new ArrayList<>();
  final Map<String, Object> fields = new LinkedHashMap<>();

  private RecordWriter put(String key, Object value) {
    keys.add(key);
    fields.put(key, value);
    return this;
  }

  @Override
  public RecordWriter field(String key, String value) {
    return put(key, value);
  }

  @Override
  public RecordWriter field(String key, CharSequence value) {
    return put(key, value == null ? null : value.toString());
  }

  @Override
  public RecordWriter field(String key, long value) {
    return put(key, value);
  }

  @Override
  public RecordWriter field(String key, double value) {
    return put(key, value);
  }

  @Override
  public RecordWriter field(String key, boolean value) {
    return put(key, value);
  }

  @Override
  public RecordWriter field(String key, Object value) {
    return put(key, value instanceof List ? new ArrayList<>((List<?>) value) : value);
  }
}
