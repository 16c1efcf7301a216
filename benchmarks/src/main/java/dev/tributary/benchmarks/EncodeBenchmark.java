package dev.tributary.benchmarks;

import dev.tributary.internal.codec.EventEncoder;
import dev.tributary.logging.AsciiText;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The encoder alone: Tributary's hand-written msgpack writer against msgpack-core's packer on the
 * same six-field event. The reason the hot path does not use the packer. And a piece of the logging
 * adapters' message: a number argument written into the message's ASCII builder.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar EncodeBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EncodeBenchmark {

  private final Map<String, Object> record = Records.sixFields();
  private final EventEncoder encoder = new EventEncoder(false, false);
  private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
  private final AsciiText text = new AsciiText(64);
  /** Boxed, as a logging call passes it. */
  private final Object argument = 4711;

  @Benchmark
  public int tributaryEncoder() {
    encoder.encode(1_700_000_000L, 123_456_789, record);
    return encoder.size();
  }

  @Benchmark
  public int msgpackCorePacker() throws IOException {
    packer.clear();
    packer.packArrayHeader(2);
    packer.packExtensionTypeHeader((byte) 0, 8);
    packer.writePayload(new byte[] {0x65, 0x53, (byte) 0xf1, 0, 7, 0x5b, (byte) 0xcd, 0x15});
    packer.packMapHeader(record.size());
    for (Map.Entry<String, Object> e : record.entrySet()) {
      packer.packString(e.getKey());
      Object v = e.getValue();
      if (v instanceof String) {
        packer.packString((String) v);
      } else {
        packer.packLong(((Number) v).longValue());
      }
    }
    return (int) packer.getTotalWrittenBytes();
  }

  /** {@code logger.info("Order {} ...", 4711)}: the argument in decimal, into the message's builder. */
  @Benchmark
  public int asciiTextNumber() {
    text.clear();
    text.append(((Integer) argument).intValue());
    return text.length();
  }
}
