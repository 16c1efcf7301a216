package dev.tributary.logging;

import dev.tributary.RecordFormatter;
import dev.tributary.RecordWriter;
import dev.tributary.internal.codec.FieldBlocks;
import dev.tributary.logging.LogEventAccessor.EntryConsumer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one event's record, as {@link LogEventMapping} lays it out, straight into the encoding.
 * Stateless (the per-thread parts live in {@link ThreadState}), so one instance serves all threads;
 * without an exception, markers or caller data it allocates nothing beyond what the framework's
 * message formatting needs.
 */
final class LogRecordFormatter<E> implements RecordFormatter<ThreadState> {

  private static final EntryConsumer<ThreadState> KEY_VALUE =
      (k, v, t) -> t.userField(k, v, LogEventMapping.KEY_VALUE_PREFIX);
  private static final EntryConsumer<ThreadState> MDC =
      (k, v, t) -> t.userField(k, v, LogEventMapping.MDC_PREFIX);
  private static final EntryConsumer<Map<String, Object>> COLLECT = (k, v, m) -> {
    if (k != null) {
      m.putIfAbsent(k, v);
    }
  };

  private final LogEventMapping mapping;
  private final LogEventAccessor<E> accessor;
  private final String message;
  private final String level;
  private final String originalLevel;
  private final String logger;
  private final String thread;
  private final String error;
  private final String markers;
  private final String callerClass;
  private final String callerMethod;
  private final String callerFile;
  private final String callerLine;
  private final String[] constantKeys;
  private final Object[] constantValues;
  /** The owners under which the encoder keeps level to thread, and the static fields, when fields lie between. */
  private final Object namedRun = new Object();
  private final Object staticRun = new Object();

  private final int maxMessageLength;

  LogRecordFormatter(LogEventMapping mapping, LogEventAccessor<E> accessor) {
    this(mapping, accessor, Integer.MAX_VALUE);
  }

  /** @param maxMessageLength a longer message makes the event too large to send: formatting may stop there */
  LogRecordFormatter(LogEventMapping mapping, LogEventAccessor<E> accessor, int maxMessageLength) {
    this.maxMessageLength = maxMessageLength;
    this.mapping = mapping;
    this.accessor = accessor;
    this.message = mapping.name(LogField.MESSAGE);
    this.level = mapping.name(LogField.LEVEL);
    this.originalLevel = mapping.name(LogField.ORIGINAL_LEVEL);
    this.logger = mapping.name(LogField.LOGGER);
    this.thread = mapping.name(LogField.THREAD);
    this.error = mapping.name(LogField.ERROR);
    this.markers = mapping.includeMarkers() ? mapping.name(LogField.MARKERS) : null;
    boolean caller = mapping.includeCallerData();
    this.callerClass = caller ? mapping.name(LogField.CALLER_CLASS) : null;
    this.callerMethod = caller ? mapping.name(LogField.CALLER_METHOD) : null;
    this.callerFile = caller ? mapping.name(LogField.CALLER_FILE) : null;
    this.callerLine = caller ? mapping.name(LogField.CALLER_LINE) : null;
    Map<String, Object> constants = mapping.constantFields();
    this.constantKeys = constants.keySet().toArray(new String[0]);
    this.constantValues = constants.values().toArray();
  }

  /** Formats {@code event} on the calling thread into {@code out}: the tests' entry point. */
  void formatEvent(E event, RecordWriter out) {
    ThreadState t = ThreadState.CURRENT.get();
    t.event = event;
    try {
      format(t, out);
    } finally {
      t.reset();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void format(ThreadState t, RecordWriter out) {
    E e = (E) t.event;
    LogEventAccessor<E> a = accessor;
    if (message != null) {
      // a message formatted into one of the thread's scratch builders is encoded from it, never made a String
      out.field(message, a.message(e, t.text(), t.scratch(), maxMessageLength));
    }
    String lv = level != null ? a.level(e) : null;
    String o = originalLevel != null ? a.originalLevel(e) : null;
    String lg = logger != null ? a.logger(e) : null;
    String tn = thread != null ? a.thread(e) : null;
    Throwable th = error != null ? a.throwable(e) : null;
    List<String> names = null;
    if (markers != null) {
      names = t.markers;
      names.clear();
      a.markers(e, names);
      if (names.isEmpty()) {
        names = null;
      }
    }
    // The encoder keeps the bytes of level to thread and of the static fields as one run, named by
    // the four strings (compared by identity): a record of a logger this thread logs through often
    // writes them with one lookup and one copy. With an error, markers or caller data between them,
    // the two parts are kept apart, the static fields under this formatter alone.
    FieldBlocks blocks = out instanceof FieldBlocks ? (FieldBlocks) out : FieldBlocks.NONE;
    if (th == null && names == null && !mapping.includeCallerData()) {
      if (!blocks.replay(this, lv, o, lg, tn)) {
        writeNamed(out, lv, o, lg, tn);
        writeStatic(out);
        blocks.endBlock();
      }
    } else {
      if (!blocks.replay(namedRun, lv, o, lg, tn)) {
        writeNamed(out, lv, o, lg, tn);
        blocks.endBlock();
      }
      writeBetween(e, th, names, out);
      if (constantKeys.length > 0 && !blocks.replay(staticRun, null, null, null, null)) {
        writeStatic(out);
        blocks.endBlock();
      }
    }
    t.out = out;
    t.reserved = mapping.reservedKeys();
    if (mapping.includeKeyValues()) {
      if (mapping.keyValuesField() == null) {
        a.forEachKeyValue(e, KEY_VALUE, t);
      } else {
        writeNested(mapping.keyValuesField(), e, true, out);
      }
    }
    if (mapping.includeMdc()) {
      if (mapping.mdcField() == null) {
        a.forEachMdc(e, MDC, t);
      } else {
        writeNested(mapping.mdcField(), e, false, out);
      }
    }
  }

  private void writeNamed(RecordWriter out, String lv, String o, String lg, String tn) {
    if (level != null) {
      out.field(level, lv);
    }
    if (o != null) {
      out.field(originalLevel, o);
    }
    if (logger != null) {
      out.field(logger, lg);
    }
    if (thread != null) {
      out.field(thread, tn);
    }
  }

  /** The fields between level to thread and the static fields: the error, the markers, the caller. */
  private void writeBetween(E e, Throwable th, List<String> names, RecordWriter out) {
    if (th != null) {
      out.field(error, mapping.errorValue(th));
    }
    if (names != null) {
      out.field(markers, names);
    }
    if (mapping.includeCallerData()) {
      writeCaller(accessor.caller(e), out);
    }
  }

  /** The static fields: values fixed when the mapping is built (strings, and an unmodifiable map). */
  private void writeStatic(RecordWriter out) {
    for (int i = 0; i < constantKeys.length; i++) {
      out.field(constantKeys[i], constantValues[i]);
    }
  }

  private void writeCaller(StackTraceElement c, RecordWriter out) {
    if (c == null) {
      return;
    }
    if (callerClass != null) {
      out.field(callerClass, c.getClassName());
    }
    if (callerMethod != null) {
      out.field(callerMethod, c.getMethodName());
    }
    if (callerFile != null && c.getFileName() != null) {
      out.field(callerFile, c.getFileName());
    }
    if (callerLine != null && c.getLineNumber() >= 0) {
      out.field(callerLine, (long) c.getLineNumber());
    }
  }

  private void writeNested(String field, E e, boolean keyValues, RecordWriter out) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (keyValues) {
      accessor.forEachKeyValue(e, COLLECT, m);
    } else {
      accessor.forEachMdc(e, COLLECT, m);
    }
    if (!m.isEmpty()) {
      out.field(field, m);
    }
  }
}
