package dev.tributary.benchmarks.peers;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.komamitsu.fluency.BufferFullException;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

/**
 * Fluency ({@code fluency-fluentd}): {@code emit(tag, map)} into its memory buffer, flushed by its
 * own thread. A full buffer makes {@code emit} throw {@link BufferFullException}: counted in
 * {@link #thrown()}. Its buffer is a byte budget ({@code maxBufferSize}), set to the same room as
 * every other subject's; everything else is Fluency's default.
 */
final class FluencySubject implements Subject {

  private final Map<String, Object> record = SuiteRecord.fields();
  private final LongAdder thrown = new LongAdder();
  private volatile String thrownType;
  private final LongAdder senderErrors = new LongAdder();
  private Fluency fluency;

  @Override
  public void start(SubjectConfig config) {
    QuietLogging.apply();
    FluencyBuilderForFluentd b = new FluencyBuilderForFluentd();
    b.setAckResponseMode(config.requireAck());
    b.setMaxBufferSize(config.bufferBytes());
    // failures of the background sender go to this handler instead of only to its log
    b.setErrorHandler(e -> senderErrors.increment());
    fluency = b.build(config.host(), config.port());
  }

  @Override
  public void emit() {
    try {
      fluency.emit(SuiteRecord.TAG, record);
    } catch (IOException | RuntimeException e) { // BufferFullException when full
      thrown.increment();
      firstThrown(e);
    }
  }

  @Override
  public void flush() {
    try {
      fluency.flush();
    } catch (IOException e) {
      thrown.increment();
      firstThrown(e);
    }
  }

  @Override
  public long dropped() {
    return 0; // Fluency does not drop silently: a full buffer throws at the caller
  }

  @Override
  public long thrown() {
    return thrown.sum();
  }

  @Override
  public String thrownType() {
    return thrownType;
  }

  private void firstThrown(Exception e) {
    if (thrownType == null) {
      thrownType = e.getClass().getName();
    }
  }

  /** Failures its sender reported to the error handler (each one a retry or a lost chunk). */
  long senderErrors() {
    return senderErrors.sum();
  }

  @Override
  public void close() {
    try {
      fluency.close(); // flushes, then waits up to waitUntilBufferFlushed (60 s) for the buffer
    } catch (IOException e) {
      thrown.increment();
      firstThrown(e);
    }
  }
}
