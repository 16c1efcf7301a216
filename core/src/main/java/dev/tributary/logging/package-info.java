/**
 * What the three logging adapters (logback, log4j2, java.util.logging) share, so that the same
 * log call becomes the same Fluentd record whichever framework made it.
 *
 * <p>An adapter implements one {@link dev.tributary.logging.LogEventAccessor} for its framework's
 * event type and hands its configuration text to a {@link dev.tributary.logging.LogAdapterConfig};
 * everything else, from the record's field names to the recursion guard and the delivery of
 * Tributary's own diagnostics to the framework's status channel, lives here:
 *
 * <pre>
 * framework event ─ LogEventAccessor ─▶ LogForwarder (guard, TagPattern)
 *                                         └─ Tributary.emit(tag, time, event, formatter)
 *                                              └─ LogEventMapping writes the fields into the msgpack encoding
 * Tributary diagnostics ─ DiagnosticsListener (rate limited) ─▶ Diagnostics (addError / StatusLogger / ErrorManager)
 * </pre>
 */
package dev.tributary.logging;
