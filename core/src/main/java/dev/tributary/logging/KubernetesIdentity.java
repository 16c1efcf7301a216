package dev.tributary.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The pod's identity from the downward API's usual environment variables, under the key names
 * Fluent Bit's kubernetes filter uses, so records from Tributary and from tailed files line up.
 */
final class KubernetesIdentity {

  private KubernetesIdentity() {}

  /** Empty unless {@code POD_NAME} or {@code POD_NAMESPACE} is set. */
  static Map<String, String> from(Function<String, String> env) {
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

  private static void put(Map<String, String> k, String key, Function<String, String> env, String variable) {
    String v = env.apply(variable);
    if (v != null && !v.isBlank()) {
      k.put(key, v.trim());
    }
  }
}
