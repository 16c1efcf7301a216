package dev.tributary.internal.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pod's identity from the Kubernetes downward API, under the key names Fluent Bit's
 * kubernetes filter uses ({@code pod_name}, {@code namespace_name}, {@code pod_ip}, {@code
 * container_name}, {@code host}, {@code labels}, {@code annotations}), so records from Tributary
 * and from tailed files line up. Read once by whoever calls; stateless.
 *
 * <p>Environment variables (set in the pod spec with {@code fieldRef}): {@code POD_NAME}, {@code
 * POD_NAMESPACE}, {@code POD_IP}, {@code CONTAINER_NAME}, {@code NODE_NAME}. Files (a {@code
 * downwardAPI} volume): {@code labels} and {@code annotations} in its directory, one {@code
 * key="value"} per line.
 */
public final class KubernetesMetadata {

  /** Where a downward API volume is usually mounted. */
  public static final String DEFAULT_PODINFO_PATH = "/etc/podinfo";

  private KubernetesMetadata() {}

  /**
   * The identity from the environment variables alone: empty unless {@code POD_NAME} or {@code
   * POD_NAMESPACE} is set. The logging adapters' {@code kubernetes} field.
   */
  public static Map<String, String> fromEnvironment(Function<String, String> env) {
    Map<String, String> k = new LinkedHashMap<>();
    put(k, "pod_name", env, "POD_NAME");
    put(k, "namespace_name", env, "POD_NAMESPACE");
    if (k.isEmpty()) {
      return k;
    }
    put(k, "pod_ip", env, "POD_IP");
    put(k, "container_name", env, "CONTAINER_NAME");
    put(k, "host", env, "NODE_NAME");
    return Collections.unmodifiableMap(k);
  }

  /**
   * The identity from the environment and, when present, the {@code labels} and {@code
   * annotations} files under {@code podinfo}: empty when there is none of them.
   */
  public static Map<String, Object> read(Function<String, String> env, Path podinfo, boolean labels,
      boolean annotations) {
    Map<String, Object> k = new LinkedHashMap<>(fromEnvironment(env));
    if (k.isEmpty()) {
      // without POD_NAME / POD_NAMESPACE the other variables alone may still say something
      put(k, "pod_ip", env, "POD_IP");
      put(k, "container_name", env, "CONTAINER_NAME");
      put(k, "host", env, "NODE_NAME");
    }
    if (labels) {
      Map<String, String> l = keyValueFile(podinfo.resolve("labels"));
      if (!l.isEmpty()) {
        k.put("labels", l);
      }
    }
    if (annotations) {
      Map<String, String> a = keyValueFile(podinfo.resolve("annotations"));
      if (!a.isEmpty()) {
        k.put("annotations", a);
      }
    }
    return k;
  }

  /** A downward API file: {@code key="value"} lines, the value quoted with Go's escapes. Empty when missing. */
  static Map<String, String> keyValueFile(Path file) {
    Map<String, String> m = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return m;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("kubernetes: cannot read " + file + ": " + e, e);
    }
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (line.isBlank() || eq <= 0) {
        continue;
      }
      m.put(line.substring(0, eq).trim(), unquote(line.substring(eq + 1).trim()));
    }
    return m;
  }

  private static String unquote(String v) {
    if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
      return v;
    }
    StringBuilder sb = new StringBuilder(v.length());
    for (int i = 1; i < v.length() - 1; i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length() - 1) {
        char n = v.charAt(++i);
        sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static void put(Map<String, ? super String> k, String key, Function<String, String> env, String variable) {
    String v = env.apply(variable);
    if (v != null && !v.isBlank()) {
      k.put(key, v.trim());
    }
  }
}
