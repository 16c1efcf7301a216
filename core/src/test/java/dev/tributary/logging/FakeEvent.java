package dev.tributary.logging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A framework-free event for the mapping tests, and its accessor. */
final class FakeEvent {
  String message = "hello";
  String level = "INFO";
  String originalLevel;
  String logger = "com.example.App";
  String thread = "main";
  Throwable thrown;
  final List<String> markers = new ArrayList<>();
  StackTraceElement caller;
  final Map<String, Object> keyValues = new LinkedHashMap<>();
  final Map<String, Object> mdc = new LinkedHashMap<>();

  static final LogEventAccessor<FakeEvent> ACCESSOR = new LogEventAccessor<>() {
    @Override
    public long epochSecond(FakeEvent e) {
      return 1_700_000_000L;
    }

    @Override
    public int nanos(FakeEvent e) {
      return 123_456_789;
    }

    @Override
    public String level(FakeEvent e) {
      return e.level;
    }

    @Override
    public String originalLevel(FakeEvent e) {
      return e.originalLevel;
    }

    @Override
    public String logger(FakeEvent e) {
      return e.logger;
    }

    @Override
    public String thread(FakeEvent e) {
      return e.thread;
    }

    @Override
    public CharSequence message(FakeEvent e, StringBuilder scratch) {
      return scratch.append(e.message);
    }

    @Override
    public Throwable throwable(FakeEvent e) {
      return e.thrown;
    }

    @Override
    public void markers(FakeEvent e, List<String> names) {
      names.addAll(e.markers);
    }

    @Override
    public StackTraceElement caller(FakeEvent e) {
      return e.caller;
    }

    @Override
    public <S> void forEachKeyValue(FakeEvent e, EntryConsumer<S> action, S state) {
      e.keyValues.forEach((k, v) -> action.accept(k, v, state));
    }

    @Override
    public <S> void forEachMdc(FakeEvent e, EntryConsumer<S> action, S state) {
      e.mdc.forEach((k, v) -> action.accept(k, v, state));
    }
  };
}
