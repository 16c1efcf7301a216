package dev.tributary.internal.filter;

import static dev.tributary.internal.filter.FilterEvents.event;
import static dev.tributary.internal.filter.FilterEvents.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.tributary.Filter;
import dev.tributary.Filters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesFilterTest {

  private static final Map<String, String> ENV = Map.of("POD_NAME", "shop-7d9f", "POD_NAMESPACE", "prod",
      "POD_IP", "10.0.0.7", "CONTAINER_NAME", "web", "NODE_NAME", "node-3");

  @Test
  void identityFromTheEnvironmentAndLabelsAndAnnotationsFromTheDownwardApiFiles(@TempDir Path podinfo)
      throws Exception {
    Files.writeString(podinfo.resolve("labels"), "app=\"shop\"\ntier=\"web\"\n");
    Files.writeString(podinfo.resolve("annotations"), "note=\"say \\\"hi\\\"\"\n");
    Filter f = Filters.kubernetes().environment(ENV::get).podinfoPath(podinfo).build();
    Filter.Event e = event("t", "message", "m");
    f.filter(e);
    assertEquals(map("pod_name", "shop-7d9f", "namespace_name", "prod", "pod_ip", "10.0.0.7",
        "container_name", "web", "host", "node-3",
        "labels", map("app", "shop", "tier", "web"), "annotations", map("note", "say \"hi\"")),
        e.record().get("kubernetes"));
  }

  @Test
  void readOnceWhenBuiltAndEachRecordGetsItsOwnCopy(@TempDir Path podinfo) throws Exception {
    Files.writeString(podinfo.resolve("labels"), "app=\"shop\"\n");
    Filter f = Filters.kubernetes().environment(ENV::get).podinfoPath(podinfo).annotations(false).build();
    Files.writeString(podinfo.resolve("labels"), "app=\"changed\"\n");
    Filter.Event a = event("t");
    Filter.Event b = event("t");
    f.filter(a);
    f.filter(b);
    assertEquals(map("app", "shop"), ((Map<?, ?>) a.record().get("kubernetes")).get("labels"));
    assertNotSame(a.record().get("kubernetes"), b.record().get("kubernetes"));
  }

  @Test
  void outsideKubernetesNothingIsAdded(@TempDir Path empty) {
    Filter f = Filters.kubernetes().environment(k -> null).podinfoPath(empty).build();
    Filter.Event e = event("t", "message", "m");
    f.filter(e);
    assertFalse(e.record().containsKey("kubernetes"));
  }

  @Test
  void theAdaptersFieldIsTheEnvironmentPartUnchanged() {
    assertEquals(Map.of("pod_name", "shop-7d9f", "namespace_name", "prod", "pod_ip", "10.0.0.7",
        "container_name", "web", "host", "node-3"), KubernetesMetadata.fromEnvironment(ENV::get));
    assertEquals(Map.of(), KubernetesMetadata.fromEnvironment(Map.of("POD_IP", "10.0.0.7")::get));
  }

  @Test
  void keyAndParameters(@TempDir Path empty) {
    Filters.Kubernetes b = (Filters.Kubernetes) Filters.builder("kubernetes");
    b.param("key", "k8s").param("podinfo_path", empty.toString()).param("labels", "off".equals("x") ? "true" : "false");
    Filter f = b.environment(ENV::get).build();
    Filter.Event e = event("t");
    f.filter(e);
    assertEquals("prod", ((Map<?, ?>) e.record().get("k8s")).get("namespace_name"));
  }
}
