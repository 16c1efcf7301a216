package dev.tributary.testkit;

import java.io.IOException;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Copies one msgpack value out of a stream into its own byte array, keeping every value's type
 * (str stays str, bin stays bin, float32 stays float32); integers may get a shorter encoding.
 *
 * <p>Records read from the socket (Message and Forward modes) are stored this way, like records
 * from packed entries, so every stored event costs one small array until a test looks at it.
 *
 * <p>Not thread safe: it reuses its buffers. One instance per connection.
 */
final class ValueCopier {
  private final MessageBufferPacker out = MessagePack.newDefaultBufferPacker();
  private byte[] scratch = new byte[256];

  /** Reads the next value of {@code in} and returns its msgpack encoding. */
  byte[] copy(MessageUnpacker in) throws IOException {
    out.clear();
    copyValue(in);
    return out.toByteArray();
  }

  private void copyValue(MessageUnpacker in) throws IOException {
    MessageFormat format = in.getNextFormat();
    switch (format.getValueType()) {
      case NIL:
        in.unpackNil();
        out.packNil();
        break;
      case BOOLEAN:
        out.packBoolean(in.unpackBoolean());
        break;
      case INTEGER:
        if (format == MessageFormat.UINT64) {
          out.packBigInteger(in.unpackBigInteger());
        } else {
          out.packLong(in.unpackLong());
        }
        break;
      case FLOAT:
        if (format == MessageFormat.FLOAT32) {
          out.packFloat(in.unpackFloat());
        } else {
          out.packDouble(in.unpackDouble());
        }
        break;
      case STRING:
        int strLength = in.unpackRawStringHeader();
        out.packRawStringHeader(strLength);
        copyPayload(in, strLength);
        break;
      case BINARY:
        int binLength = in.unpackBinaryHeader();
        out.packBinaryHeader(binLength);
        copyPayload(in, binLength);
        break;
      case ARRAY:
        int size = in.unpackArrayHeader();
        out.packArrayHeader(size);
        for (int i = 0; i < size; i++) {
          copyValue(in);
        }
        break;
      case MAP:
        int entries = in.unpackMapHeader();
        out.packMapHeader(entries);
        for (int i = 0; i < entries * 2; i++) {
          copyValue(in);
        }
        break;
      case EXTENSION:
        ExtensionTypeHeader header = in.unpackExtensionTypeHeader();
        out.packExtensionTypeHeader(header.getType(), header.getLength());
        copyPayload(in, header.getLength());
        break;
      default:
        throw new IllegalStateException("unexpected msgpack format " + format);
    }
  }

  private void copyPayload(MessageUnpacker in, int length) throws IOException {
    if (length > RequestDecoder.MAX_PAYLOAD_BYTES) {
      throw new ProtocolException("a value of " + length + " bytes exceeds the limit of "
          + RequestDecoder.MAX_PAYLOAD_BYTES);
    }
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
    }
    in.readPayload(scratch, 0, length);
    out.writePayload(scratch, 0, length);
  }
}
