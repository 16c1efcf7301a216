package dev.tributary.jul;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** "The application's other handler" in the tests: keeps what it gets. */
public final class CaptureHandler extends Handler {

  static final List<LogRecord> RECORDS = new CopyOnWriteArrayList<>();

  @Override
  public void publish(LogRecord record) {
    RECORDS.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
