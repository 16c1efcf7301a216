package dev.tributary.testkit;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The few DER encodings an X.509 v3 certificate needs (ITU-T X.690), as byte arrays: each method
 * returns one complete tag-length-value. Stateless and thread safe.
 */
final class Der {
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  /** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
  private static final Instant UTC_TIME_END = Instant.parse("2050-01-01T00:00:00Z");

  private Der() {}

  static byte[] sequence(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  static byte[] bool(boolean value) {
    return tlv(0x01, new byte[] {value ? (byte) 0xFF : 0});
  }

  static byte[] nul() {
    return new byte[] {0x05, 0x00};
  }

  /** An object identifier in dotted form, such as {@code "2.5.29.17"}. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, 40L * Long.parseLong(arcs[0]) + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return tlv(0x06, out.toByteArray());
  }

  static byte[] utf8String(String s) {
    return tlv(0x0C, s.getBytes(StandardCharsets.UTF_8));
  }

  /** A BIT STRING of whole bytes (no unused bits). */
  static byte[] bitString(byte[] bytes) {
    byte[] content = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, content, 1, bytes.length);
    return tlv(0x03, content);
  }

  static byte[] octetString(byte[] bytes) {
    return tlv(0x04, bytes);
  }

  /** UTCTime before 2050, GeneralizedTime after, as RFC 5280 requires of certificate validity. */
  static byte[] time(Instant instant) {
    if (instant.isBefore(UTC_TIME_END)) {
      return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(0x18, GENERALIZED_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  /** A constructed, explicitly tagged {@code [tag]} around {@code content}. */
  static byte[] explicit(int tag, byte[] content) {
    return tlv(0xA0 | tag, content);
  }

  /** A primitive, implicitly tagged {@code [tag]} with raw {@code content}. */
  static byte[] implicit(int tag, byte[] content) {
    return tlv(0x80 | tag, content);
  }

  static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int b = (int) ((value >>> (7 * i)) & 0x7F);
      out.write(i == 0 ? b : b | 0x80);
    }
  }
}
