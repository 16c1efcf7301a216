package dev.tributary.internal.filter;

/**
 * A built-in filter that may change only the top level of a record (fields set, replaced, renamed,
 * removed) and the tag, never a nested map or list in place: to undo it when it throws, a copy of
 * the top level is enough.
 */
interface TopLevelChanges {

  /** Whether this instance, as configured, changes the top level only. */
  boolean changesTopLevelOnly();
}
