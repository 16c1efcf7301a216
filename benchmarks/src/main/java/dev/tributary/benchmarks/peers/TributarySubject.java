package dev.tributary.benchmarks.peers;

import dev.tributary.Tributary;
import dev.tributary.TributaryListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tributary's programmatic API: {@code emit(tag, map)}, or with {@link #builder()} the fluent
 * {@code event(tag).put(...).emit()} writing the same six fields without a map. Overflow policy
 * BLOCK (the default) with {@code maxBlock} set explicitly, so the stalled-server measure checks
 * the bound it is given.
 */
final class TributarySubject implements Subject {

  private final Map<String, Object> record = SuiteRecord.fields();
  private final boolean useBuilder;
  private Tributary tributary;
  private final LongAdder thrown = new LongAdder();
  private volatile String thrownType;

  TributarySubject() {
    this(false);
  }

  private TributarySubject(boolean useBuilder) {
    this.useBuilder = useBuilder;
  }

  /** The subject that emits through {@code event(tag)}: the same record, field by field. */
  static TributarySubject builder() {
    return new TributarySubject(true);
  }

  @Override
  public void start(SubjectConfig config) {
    tributary = Tributary.builder()
        .name("bench")
        .server(config.host(), config.port())
        .requireAck(config.requireAck())
        .bufferMaxBytes(config.bufferBytes())
        .maxBlock(config.maxBlock())
        // the stalled measure holds the server still for seconds; without this the default 10 s
        // write timeout would not matter, but a test machine's hiccup should not cut a connection
        .writeTimeout(Duration.ofMinutes(1))
        .closeTimeout(Duration.ofSeconds(60))
        // losses are counted in metrics(); a stderr summary would only add noise to the run
        .listener(new TributaryListener() {})
        .build();
  }

  @Override
  public void emit() {
    try {
      if (useBuilder) {
        tributary.event(SuiteRecord.TAG)
            .put("message", SuiteRecord.MESSAGE)
            .put("level", "INFO")
            .put("logger", SuiteRecord.LOGGER)
            .put("thread", "http-nio-8080-exec-1")
            .put("count", 42)
            .put("duration_ns", 1_234_567_890_123L)
            .emit();
      } else {
        tributary.emit(SuiteRecord.TAG, record);
      }
    } catch (RuntimeException e) {
      // not expected under BLOCK; counted rather than thrown, like every subject
      thrown.increment();
      firstThrown(e);
    }
  }

  @Override
  public void flush() {
    tributary.flush();
  }

  @Override
  public long dropped() {
    return tributary.metrics().droppedTotal();
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

  @Override
  public void close() {
    tributary.close();
  }
}
