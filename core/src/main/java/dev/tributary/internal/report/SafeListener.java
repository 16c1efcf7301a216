package dev.tributary.internal.report;

import dev.tributary.DropReason;
import dev.tributary.FailureReason;
import dev.tributary.TributaryListener;
import java.util.Map;

/**
 * Wraps the user's listener so that nothing it throws reaches Tributary's threads: a listener
 * that fails must not stop delivery. Only a {@link VirtualMachineError} other than a stack
 * overflow passes through, since nothing can be relied on after one.
 */
public final class SafeListener implements TributaryListener {

  private final TributaryListener delegate;

  public SafeListener(TributaryListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onSummary(Map<DropReason, Long> droppedSinceLast, Map<FailureReason, Long> failedSinceLast) {
    try {
      delegate.onSummary(droppedSinceLast, failedSinceLast);
    } catch (Throwable t) {
      rethrowIfFatal(t);
    }
  }

  @Override
  public void onConnectionFailure(String server, Throwable cause) {
    try {
      delegate.onConnectionFailure(server, cause);
    } catch (Throwable t) {
      rethrowIfFatal(t);
    }
  }

  @Override
  public void onChunkFailed(String tag, int events, FailureReason reason, Throwable cause) {
    try {
      delegate.onChunkFailed(tag, events, reason, cause);
    } catch (Throwable t) {
      rethrowIfFatal(t);
    }
  }

  @Override
  public void onFilterErrors(String filter, long errors, dev.tributary.Filter.OnError onError, Throwable last) {
    try {
      delegate.onFilterErrors(filter, errors, onError, last);
    } catch (Throwable t) {
      rethrowIfFatal(t);
    }
  }

  @Override
  public void onWarning(String message) {
    try {
      delegate.onWarning(message);
    } catch (Throwable t) {
      rethrowIfFatal(t);
    }
  }

  @Override
  public void onChunkQuarantined(String file, long bytes, String reason) {
    try {
      delegate.onChunkQuarantined(file, bytes, reason);
    } catch (Throwable t) {
      rethrowIfFatal(t);
    }
  }

  @Override
  public void onStorageError(String message, Throwable cause) {
    try {
      delegate.onStorageError(message, cause);
    } catch (Throwable t) {
      rethrowIfFatal(t);
    }
  }

  /** Rethrows errors the JVM cannot recover from; everything else is swallowed by the caller. */
  public static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
      throw (VirtualMachineError) t;
    }
  }
}
