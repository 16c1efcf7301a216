package dev.tributary.internal.codec;

/**
 * A {@link dev.tributary.RecordWriter} that keeps the bytes of runs of fields it wrote before and
 * writes them again in one copy. A run is named by its owner and up to four strings, all
 * compared by identity; the run's fields must depend on nothing else, so that the same names mean
 * the same bytes (a logging record's level, logger and thread fields, named by the level, logger
 * and thread strings, and its static fields, named by the formatter alone).
 *
 * <p>Used as {@code if (!blocks.replay(owner, a, b, c, d)) { write the fields; blocks.endBlock(); }}.
 */
public interface FieldBlocks {

  /** For writers that keep nothing: every run is written field by field. */
  FieldBlocks NONE = new FieldBlocks() {
    @Override
    public boolean replay(Object owner, String k1, String k2, String k3, String k4) {
      return false;
    }

    @Override
    public void endBlock() {}
  };

  /**
   * Writes the run kept under these names and returns true; or returns false, and the fields
   * written from here to {@link #endBlock()} are kept under them if these names were also the last
   * that their place was asked for and did not have (the run kept there gives way). So a run is
   * kept when it comes twice in a row to its place, and names that come round only among many
   * others cost a lookup, never a copy.
   */
  boolean replay(Object owner, String k1, String k2, String k3, String k4);

  /** Ends the run begun by a {@link #replay} that returned false. */
  void endBlock();
}
