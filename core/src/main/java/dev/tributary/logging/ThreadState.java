package dev.tributary.logging;

import dev.tributary.RecordWriter;
import java.util.ArrayList;
import java.util.Set;

/**
 * Everything one logging thread reuses from event to event: the re-entrancy flag of the
 * recursion guard, the event being formatted, the message scratch buffers, the marker list and the
 * key set. Shared by all adapters in the JVM, so an event logged while any Tributary adapter is
 * formatting on this thread (a {@code toString()} that logs) is recognised as recursion.
 */
final class ThreadState {

  static final ThreadLocal<ThreadState> CURRENT = ThreadLocal.withInitial(ThreadState::new);

  private static final int SCRATCH_KEEP = 16 * 1024;

  /** Set while this thread is inside an adapter; guards against re-entry. */
  boolean active;
  /**
   * Whether this is one of Tributary's own threads ({@code tributary-<role>-<name>}), whose events
   * are kept out: they are named when made, before they could log, so the name is read once.
   */
  final boolean library = Thread.currentThread().getName().startsWith("tributary-");
  /** The event being formatted; cleared afterwards so it is not kept alive. */
  Object event;
  /** The record being written, for the entry callbacks. */
  RecordWriter out;
  Set<String> reserved;
  final KeySet keys = new KeySet();
  final ArrayList<String> markers = new ArrayList<>(4);
  private StringBuilder scratch = new StringBuilder(256);
  private AsciiText text = new AsciiText(256);

  /** The scratch buffer, empty; a buffer grown by one huge message is not kept. */
  StringBuilder scratch() {
    if (scratch.capacity() > SCRATCH_KEEP) {
      scratch = new StringBuilder(256);
    }
    scratch.setLength(0);
    return scratch;
  }

  /** The ASCII scratch text, empty; one grown by a huge message is not kept either. */
  AsciiText text() {
    if (text.capacity() > SCRATCH_KEEP) {
      text = new AsciiText(256);
    }
    text.clear();
    return text;
  }

  /**
   * Writes an event's own key: as is when free, else with {@code prefix}, else not at all (the
   * prefixed key is taken too, which only a key built to collide achieves).
   */
  void userField(String key, Object value, String prefix) {
    if (key == null) {
      return;
    }
    if (reserved.contains(key) || !keys.add(key)) {
      String alt = prefix + key;
      if (reserved.contains(alt) || !keys.add(alt)) {
        return;
      }
      key = alt;
    }
    out.field(key, value);
  }

  void reset() {
    event = null;
    out = null;
    reserved = null;
    keys.clear();
    markers.clear();
  }
}
