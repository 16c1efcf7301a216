package dev.tributary;

/**
 * When the file buffer ({@code bufferPath}) forces its chunk files to the disk. Every mode
 * survives a kill of the process: an event's bytes are in the operating system's page cache, in
 * the chunk file's mapping, when {@code emit} returns. The modes differ in what survives a power
 * loss or a kernel crash.
 */
public enum FsyncMode {
  /**
   * A sealed chunk is forced to the disk (its data, its size and its directory entry) before it is
   * sent: after a power loss every sealed chunk is there; events of chunks still open may be
   * lost. The default.
   */
  ON_SEAL,
  /**
   * Every {@code fsyncInterval} the flusher forces what changed since the last time, open chunks
   * included: a power loss costs at most about one interval of events.
   */
  INTERVAL,
  /** Never forced: the operating system writes the pages out when it likes (about 30 s on Linux). */
  NONE
}
