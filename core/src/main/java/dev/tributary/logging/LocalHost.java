package dev.tributary.logging;

import dev.tributary.internal.filter.HostName;

/** The host name, looked up once per JVM (shared with the filters' {@code ${hostname}}). */
final class LocalHost {

  private LocalHost() {}

  static String name() {
    return HostName.get();
  }
}
