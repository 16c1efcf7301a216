package dev.tributary.testkit;

import dev.tributary.Tributary;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Waiting in tests without fixed sleeps: poll a condition until it holds or a deadline passes, and
 * check that a closed Tributary left no thread and no MBean behind. Stateless and thread safe.
 *
 * <pre>{@code
 * Await.until("all delivered", Duration.ofSeconds(10), () -> tributary.metrics().delivered() == 100);
 * tributary.close();
 * Await.noTributaryThreads(tributary);   // this instance's threads only; others may run
 * }</pre>
 */
public final class Await {

  /** How long the thread checks wait for threads to end. */
  private static final Duration THREAD_END_TIMEOUT = Duration.ofSeconds(5);

  private Await() {}

  /**
   * Returns once {@code condition} holds; polls every few milliseconds (not spinning: the client
   * under test needs the CPU).
   *
   * @throws AssertionError naming {@code what} when {@code timeout} passes first
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(5_000_000L);
    }
  }

  /** Names of the live threads whose name starts with {@code prefix}. */
  public static Set<String> threadsNamed(String prefix) {
    return threadsMatching(n -> n.startsWith(prefix));
  }

  /**
   * Names of the live threads of the Tributary instance named {@code instanceName} (its {@link
   * Tributary#name()}): {@code tributary-flusher-<name>} and {@code tributary-acks-<name>}, those of
   * its declared outputs ({@code tributary-flusher-<name>:<output>}), and no thread of an instance
   * with another name.
   */
  public static Set<String> tributaryThreads(String instanceName) {
    Pattern own = Pattern.compile("tributary-[a-z]+-" + Pattern.quote(instanceName) + "(:[A-Za-z0-9._-]+)?");
    return threadsMatching(n -> own.matcher(n).matches());
  }

  /**
   * Asserts, within five seconds, that {@code tributary} left no thread behind. Other instances,
   * open or closed, are not looked at, so tests may run side by side.
   */
  public static void noTributaryThreads(Tributary tributary) {
    noTributaryThreads(tributary.name());
  }

  /**
   * Asserts, within five seconds, that the Tributary instance named {@code instanceName} left no
   * thread behind; see {@link #tributaryThreads(String)}.
   */
  public static void noTributaryThreads(String instanceName) {
    awaitNone("threads of Tributary instance \"" + instanceName + "\" to end",
        () -> tributaryThreads(instanceName));
  }

  /**
   * Asserts, within five seconds, that no {@code tributary-*} thread of any instance is alive in
   * this JVM (the testkit's own {@code tributary-testkit-*} threads, a {@link FaultProxy}'s say,
   * belong to the test and are not counted). It fails while any instance, also one another test opened, is still open; prefer
   * {@link #noTributaryThreads(Tributary)} unless the test owns every instance in the JVM.
   */
  public static void noTributaryThreads() {
    awaitNone("every tributary thread to end", Await::clientThreads);
  }

  /** Live {@code tributary-*} threads, apart from the testkit's own ({@code tributary-testkit-*}). */
  private static Set<String> clientThreads() {
    Set<String> alive = new HashSet<>(threadsNamed("tributary-"));
    alive.removeIf(name -> name.startsWith("tributary-testkit-"));
    return alive;
  }

  /**
   * Names of the Tributary MBeans ({@code dev.tributary:type=Tributary,name=*}) on the platform
   * MBean server now: one per open instance built with {@code jmx} on (the default).
   */
  public static Set<String> tributaryMBeans() {
    try {
      return ManagementFactory.getPlatformMBeanServer()
          .queryNames(new ObjectName("dev.tributary:type=Tributary,*"), null).stream()
          .map(ObjectName::toString)
          .collect(Collectors.toSet());
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Asserts, within five seconds, that no Tributary MBean is registered in this JVM: every
   * instance was closed. Like {@link #noTributaryThreads()}, it fails while any instance is open.
   */
  public static void noTributaryMBeans() {
    awaitNone("every Tributary MBean to be unregistered", Await::tributaryMBeans);
  }

  private static void awaitNone(String what, Supplier<Set<String>> alive) {
    try {
      until(what, THREAD_END_TIMEOUT, () -> alive.get().isEmpty());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; still alive: " + alive.get(), e);
    }
  }

  private static Set<String> threadsMatching(Predicate<String> name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name)
        .collect(Collectors.toSet());
  }
}
