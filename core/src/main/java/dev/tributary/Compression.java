package dev.tributary;

/** Compression of a request's entries. */
public enum Compression {
  /** PackedForward: entries sent as they are. */
  NONE,
  /** CompressedPackedForward: entries gzip-compressed, option {@code compressed: "gzip"}. */
  GZIP
}
