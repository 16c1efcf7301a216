package dev.tributary.internal.filter;

/**
 * A built-in filter that only reads an event: it changes neither its tag nor its record and emits
 * nothing. When it throws there is nothing to undo, so the chain keeps no copy of the event before
 * it runs.
 */
interface LeavesEventAlone {}
