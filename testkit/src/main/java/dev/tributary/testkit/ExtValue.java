package dev.tributary.testkit;

import java.util.Arrays;

/**
 * A msgpack extension value found inside a record, kept as its type and raw payload.
 *
 * <p>Immutable by convention: {@link #data()} returns the stored array, which callers must not
 * change. Thread safe when not modified.
 *
 * <pre>{@code
 * ExtValue ext = (ExtValue) event.get("payload");
 * assertEquals(5, ext.type());
 * }</pre>
 *
 * @param type the extension type, -128..127
 * @param data the payload bytes
 */
public record ExtValue(byte type, byte[] data) {

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtValue
        && ((ExtValue) o).type == type
        && Arrays.equals(((ExtValue) o).data, data);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ExtValue[type=" + type + ", data=" + Arrays.toString(data) + "]";
  }
}
