package dev.tributary.internal.config;

import dev.tributary.ConfigFileException;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings that several sections of a file may write but the instance holds once (the forward
 * outputs' timeouts, TLS and security; the retry backoff): the first section applies a value, a
 * later one may repeat it, and a different value is an error naming both lines. Not thread safe.
 */
final class Shared {

  private record Seen(String value, String source, int line, boolean secret) {}

  private final Map<String, Seen> seen = new HashMap<>();

  /**
   * Applies {@code setter} the first time {@code key} is given; checks later ones are the same.
   *
   * @param value the parameter's meaning in a comparable form (the parsed value's text)
   */
  void set(ConfigElement e, String key, Object value, Runnable setter) {
    set(e, key, String.valueOf(value), setter, false);
  }

  /** As {@link #set}, for a value no message may show (a key, a password). */
  void setSecret(ConfigElement e, String key, String value, Runnable setter) {
    set(e, key, value, setter, true);
  }

  private void set(ConfigElement e, String key, String text, Runnable setter, boolean secret) {
    Seen before = seen.get(key);
    if (before == null) {
      ForwardSection.applying(e, key, setter);
      seen.put(key, new Seen(text, e.source(), e.lineOf(key), secret));
      return;
    }
    if (!before.value.equals(text)) {
      throw new ConfigFileException(e.source(), e.lineOf(key), key, "'" + key + "' in " + e.describe()
          + (secret ? " differs from the one" : " is " + text + " but " + before.value) + " on line " + before.line
          + (before.source.equals(e.source()) ? "" : " of " + before.source)
          + ": Tributary's forward outputs share this setting, so it must be the same in every section");
    }
  }
}
