package dev.tributary.benchmarks.peers;

/**
 * One library under test, driven the way an application drives it: started against a sink, one
 * call per event, closed at shutdown. Every measure of the suite works on this interface only, so
 * a variant (a file buffer, TLS, a filter) is one more {@link Subjects} entry, not another
 * benchmark.
 *
 * <p>Not thread safe to start or close; {@link #emit()} may be called from any number of threads
 * at once, as a logger is.
 *
 * <pre>{@code
 * Subject s = Subjects.spec("fluency").create();
 * s.start(SubjectConfig.of(sink, true, 1_000_000));
 * s.emit();
 * s.close();
 * }</pre>
 */
public interface Subject {

  /** Starts the library; called once, before any other method. */
  void start(SubjectConfig config) throws Exception;

  /**
   * Sends one {@link SuiteRecord}: an API call with the map, or {@code logger.info(PATTERN,
   * ARGUMENT)}. Never throws: what the library throws at the caller is counted in {@link
   * #thrown()}, because for a logging library that is an outcome, not a harness error.
   */
  void emit();

  /** Asks the library to send what it holds now, where it has such a call; else nothing. */
  void flush();

  /** Events the library says it discarded (its counter, listener or return value). */
  long dropped();

  /** Calls in which the library threw at the caller; each is an event not accepted. */
  long thrown();

  /** The class of the first exception the library threw at the caller, or null if none. */
  default String thrownType() {
    return null;
  }

  /**
   * Shuts the library down the way an application does (close / appender stop): stops intake,
   * delivers what the library delivers at shutdown, releases its threads. Returns when the
   * library's own shutdown call returns.
   */
  void close();
}
