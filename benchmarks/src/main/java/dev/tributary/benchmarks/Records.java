package dev.tributary.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one record every benchmark sends: six fields, as a log line maps to them. */
final class Records {

  /** 99 characters. */
  static final String MESSAGE =
      "Order 4711 accepted for customer 0815: 3 items, total 99.95 EUR, shipping to warehouse B (priority)";

  private Records() {}

  static Map<String, Object> sixFields() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("message", MESSAGE);
    r.put("level", "INFO");
    r.put("logger", "com.example.shop.OrderService");
    r.put("thread", "http-nio-8080-exec-1");
    r.put("count", 42);
    r.put("duration_ns", 1_234_567_890_123L);
    return r;
  }

  /**
   * Whether events are still held (buffered or waiting for their ack): what a drain between
   * iterations waits out. Drops, copies to several outputs and recovered events need no arithmetic.
   */
  static boolean held(dev.tributary.TributaryMetrics m) {
    return m.bufferedEvents() + m.inFlightEvents() > 0;
  }
}
