package dev.tributary;

/**
 * A configuration file Tributary cannot use: a syntax error, a directive or parameter outside the
 * supported subset, or a value of the wrong form. The message names the file, the line and the
 * word at fault, so {@code <match app.**>} with a misspelt {@code chunk_limit_sise} reads:
 *
 * <pre>{@code
 * tributary.conf:12: unknown parameter 'chunk_limit_sise' in <buffer> (known: chunk_limit_size, ...)
 * }</pre>
 *
 * <p>An {@link IllegalArgumentException}, like every other configuration error of Tributary, so
 * code that handles bad options handles bad files the same way. Immutable.
 */
public final class ConfigFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String word;

  public ConfigFileException(String source, int line, String word, String message) {
    super(source + ":" + line + ": " + message);
    this.source = source;
    this.line = line;
    this.word = word;
  }

  /** The file (or resource) the error is in, as it was named when read. */
  public String source() {
    return source;
  }

  /** The line of the error, counted from 1. */
  public int line() {
    return line;
  }

  /** The directive, parameter or value at fault, as written; empty when the file ended early. */
  public String word() {
    return word;
  }
}
