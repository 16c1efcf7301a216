package dev.tributary;

/**
 * Turns a source object (a logging framework's event, say) into record fields. Stateless
 * implementations can be shared by all threads, so {@link Tributary#emit(String, long, int,
 * Object, RecordFormatter)} allocates nothing per call.
 *
 * <pre>{@code
 * RecordFormatter<Order> orders = (o, out) -> out.field("id", o.id()).field("amount", o.amount());
 * tributary.emit("app.orders", sec, nanos, order, orders);
 * }</pre>
 */
@FunctionalInterface
public interface RecordFormatter<T> {
  void format(T source, RecordWriter out);
}
