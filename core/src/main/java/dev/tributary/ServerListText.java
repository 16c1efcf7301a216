package dev.tributary;

import dev.tributary.internal.forward.ServerAddress;
import dev.tributary.internal.forward.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the text form of the {@code servers} option: comma-separated entries of {@code host:port}
 * ({@code [v6addr]:port} for IPv6), each optionally followed by {@code weight=N} and {@code
 * standby} (or {@code standby=true|false}), in any order, each at most once:
 * {@code "agg1:24224 weight=60, agg2:24224 weight=40, backup:24224 standby"}. Every error names the
 * option and quotes the bad entry. Stateless.
 */
final class ServerListText {

  private ServerListText() {}

  static List<ServerSpec> parse(String option, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(option + " must list host:port pairs, was " + quote(text));
    }
    List<ServerSpec> specs = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      specs.add(entry(option, part.trim()));
    }
    return specs;
  }

  private static ServerSpec entry(String option, String entry) {
    String[] words = entry.split("\\s+");
    String s = words[0];
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(option + " entry must be host:port, was " + quote(entry));
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " entry has a bad port: " + quote(entry));
    }
    if (host.isBlank() || port < 1 || port > 65535) {
      throw new IllegalArgumentException(option + " entry must be host:port with a port within 1..65535, was "
          + quote(entry));
    }
    Integer weight = null;
    Boolean standby = null;
    for (int i = 1; i < words.length; i++) {
      int eq = words[i].indexOf('=');
      String key = eq < 0 ? words[i] : words[i].substring(0, eq);
      String value = eq < 0 ? null : words[i].substring(eq + 1);
      if (key.equalsIgnoreCase("weight") && value != null && weight == null) {
        weight = weight(option, entry, value);
      } else if (key.equalsIgnoreCase("standby") && standby == null) {
        standby = value == null || standby(option, entry, value);
      } else {
        throw new IllegalArgumentException(option + " entry must be host:port followed by weight=N and standby"
            + " (each at most once), was " + quote(entry));
      }
    }
    return new ServerSpec(new ServerAddress(host.trim(), port), weight == null ? ServerSpec.DEFAULT_WEIGHT : weight,
        standby != null && standby);
  }

  private static int weight(String option, String entry, String value) {
    if (value.matches("\\d{1,7}")) {
      int w = Integer.parseInt(value);
      if (w <= ServerSpec.MAX_WEIGHT) {
        return w;
      }
    }
    throw new IllegalArgumentException(option + " entry has a bad weight (a whole number within 0.."
        + ServerSpec.MAX_WEIGHT + "): " + quote(entry));
  }

  private static boolean standby(String option, String entry, String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException(option + " entry has a bad standby (true or false): " + quote(entry));
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
