package dev.tributary.internal.filter;

import java.net.InetAddress;

/** The host name, looked up once per JVM: the lookup can take seconds where DNS is misconfigured. */
public final class HostName {

  private HostName() {}

  private static final class Holder {
    static final String NAME = lookup();
  }

  /** The local host's name, else {@code HOSTNAME} / {@code COMPUTERNAME}, else {@code unknown}. */
  public static String get() {
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
