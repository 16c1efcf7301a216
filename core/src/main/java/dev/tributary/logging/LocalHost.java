package dev.tributary.logging;

import java.net.InetAddress;

/** The host name, looked up once per JVM: the lookup can take seconds where DNS is misconfigured. */
final class LocalHost {

  private LocalHost() {}

  private static final class Holder {
    static final String NAME = lookup();
  }

  static String name() {
    return Holder.NAME;
  }

  private static String lookup() {
    try {
      String n = InetAddress.getLocalHost().getHostName();
      if (n != null && !n.isBlank()) {
        return n;
      }
    } catch (Exception | LinkageError e) {
      // fall through to the environment
    }
    for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      String v = System.getenv(var);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return "unknown";
  }
}
