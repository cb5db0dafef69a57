package dev.conveyor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.deploy.StrictParser.K8sObject;
import dev.conveyor.events.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay with {@code kubectl kustomize}, parses every object strictly and checks
 * what Conveyor needs from a cluster. Each failure names the object (Kind/name) and the field.
 */
class KubernetesOverlaysTest {
  private static final Map<String, List<K8sObject>> RENDERED = new HashMap<>();

  static synchronized List<K8sObject> render(String overlay) throws Exception {
    List<K8sObject> objects = RENDERED.get(overlay);
    if (objects == null) {
      String yaml = Tools.kustomize(Repo.path("deploy", "overlays", overlay));
      objects = StrictParser.parse(yaml);
      RENDERED.put(overlay, objects);
    }
    return objects;
  }

  private static void assertNone(String what, List<String> violations) {
    assertTrue(violations.isEmpty(), what + ":\n  " + String.join("\n  ", violations));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void everyObjectParsesStrictlyAndKeepsTheRules(String overlay) throws Exception {
    List<K8sObject> objects = render(overlay);
    Set<String> kinds = objects.stream().map(K8sObject::kind).collect(Collectors.toSet());
    assertTrue(
        kinds.containsAll(
            Set.of(
                "Deployment",
                "StatefulSet",
                "Kafka",
                "KafkaNodePool",
                "KafkaTopic",
                "ScaledObject",
                "NetworkPolicy",
                "HorizontalPodAutoscaler",
                "PodDisruptionBudget")),
        overlay + " renders " + kinds);
    List<String> v = new ArrayList<>(ManifestChecks.violations(objects));
    for (K8sObject o : objects) {
      String ns = o.raw().path("metadata").path("namespace").asText("");
      if (!o.kind().equals("Namespace") && !ns.equals("conveyor")) {
        v.add(o.id() + ": metadata.namespace: '" + ns + "', not conveyor");
      }
    }
    assertNone(overlay, v);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void everyTopicAndDeadLetterTopicHasAKafkaTopic(String overlay) throws Exception {
    List<K8sObject> objects = render(overlay);
    Set<String> declared = new TreeSet<>();
    for (K8sObject o : objects) {
      if (o.model() instanceof KafkaTopic t) {
        String name = t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : o.name();
        declared.add(name);
        Object retention =
            t.getSpec().getConfig() == null ? null : t.getSpec().getConfig().get("retention.ms");
        assertTrue(retention != null, o.id() + ": spec.config.retention.ms: missing");
      }
    }
    List<String> missing = new ArrayList<>();
    for (String topic : Topics.allWithDlqs()) {
      if (!declared.contains(topic)) {
        missing.add("KafkaTopic/" + topic + ": missing (dev.conveyor.events.Topics.allWithDlqs())");
      }
    }
    for (ServiceConfig s : ServiceConfig.all()) {
      for (String topic : s.topics()) {
        if (!declared.contains(topic)) {
          missing.add("KafkaTopic/" + topic + ": missing (" + s.name() + " uses it)");
        }
      }
    }
    assertNone(overlay, missing);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void servicesListenWhereTheirProbesAndServicesPointAndGetTheirEnvironment(String overlay)
      throws Exception {
    List<K8sObject> objects = render(overlay);
    List<String> v = new ArrayList<>();
    for (ServiceConfig s : ServiceConfig.all()) {
      String id = "Deployment/" + s.name();
      Deployment d = find(objects, "Deployment", s.name(), Deployment.class);
      if (d == null) {
        v.add(id + ": missing");
        continue;
      }
      List<Container> cs = d.getSpec().getTemplate().getSpec().getContainers();
      int index = -1;
      for (int i = 0; i < cs.size(); i++) {
        if (cs.get(i).getName().equals(s.name())) {
          index = i;
        }
      }
      if (index < 0) {
        v.add(id + ": spec.template.spec.containers: no container named " + s.name());
        continue;
      }
      Container c = cs.get(index);
      String at = "spec.template.spec.containers[" + index + "]";
      String image = c.getImage();
      String repo = image.substring(0, image.lastIndexOf(':'));
      if (!repo.endsWith("/" + s.name())) {
        v.add(id + ": " + at + ".image: '" + image + "' is not the image named " + s.name());
      }
      if (c.getPorts() == null
          || c.getPorts().stream().noneMatch(p -> p.getContainerPort() == s.httpPort())) {
        v.add(id + ": " + at + ".ports: no containerPort " + s.httpPort() + " (quarkus.http.port)");
      }
      for (var probe :
          Map.of(
                  "readinessProbe", c.getReadinessProbe(),
                  "livenessProbe", c.getLivenessProbe())
              .entrySet()) {
        Integer port = httpPort(probe.getValue(), c);
        if (port == null || port != s.httpPort()) {
          v.add(
              id
                  + ": "
                  + at
                  + "."
                  + probe.getKey()
                  + ".httpGet.port: "
                  + port
                  + ", the service listens on "
                  + s.httpPort());
        }
      }
      Set<String> env =
          c.getEnv() == null
              ? Set.of()
              : c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
      for (String required : s.requiredEnv()) {
        if (!env.contains(required)) {
          v.add(id + ": " + at + ".env: " + required + " is not set (" + s.name() + " reads it)");
        }
      }
      Service svc = find(objects, "Service", s.name(), Service.class);
      if (svc == null
          || svc.getSpec().getPorts().stream()
              .map(p -> p.getTargetPort())
              .noneMatch(t -> t != null && Integer.valueOf(s.httpPort()).equals(t.getIntVal()))) {
        v.add("Service/" + s.name() + ": spec.ports[].targetPort: none is " + s.httpPort());
      }
    }
    assertNone(overlay, v);
  }

  private static Integer httpPort(Probe p, Container c) {
    if (p == null || p.getHttpGet() == null) {
      return null;
    }
    IntOrString port = p.getHttpGet().getPort();
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return c.getPorts().stream()
        .filter(cp -> port.getStrVal().equals(cp.getName()))
        .map(cp -> cp.getContainerPort())
        .findFirst()
        .orElse(null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void networkPoliciesLetEachServiceReachOnlyWhatItUses(String overlay) throws Exception {
    List<K8sObject> objects = render(overlay);
    List<String> v = new ArrayList<>();
    List<K8sObject> policies =
        objects.stream().filter(o -> o.model() instanceof NetworkPolicy).toList();
    boolean defaultDeny =
        policies.stream()
            .map(o -> o.as(NetworkPolicy.class).getSpec())
            .anyMatch(
                sp ->
                    (sp.getPodSelector().getMatchLabels() == null
                            || sp.getPodSelector().getMatchLabels().isEmpty())
                        && (sp.getPodSelector().getMatchExpressions() == null
                            || sp.getPodSelector().getMatchExpressions().isEmpty())
                        && sp.getPolicyTypes().contains("Ingress")
                        && (sp.getIngress() == null || sp.getIngress().isEmpty()));
    if (!defaultDeny) {
      v.add("NetworkPolicy/*: no default deny of ingress (empty podSelector, no ingress rule)");
    }
    Kafka kafka =
        objects.stream()
            .filter(o -> o.model() instanceof Kafka)
            .map(o -> o.as(Kafka.class))
            .findFirst()
            .orElseThrow();
    for (ServiceConfig s : ServiceConfig.all()) {
      Deployment d = find(objects, "Deployment", s.name(), Deployment.class);
      List<K8sObject> egress =
          policies.stream()
              .filter(
                  o -> {
                    var sp = o.as(NetworkPolicy.class).getSpec();
                    Map<String, String> sel = sp.getPodSelector().getMatchLabels();
                    return sp.getPolicyTypes().contains("Egress")
                        && sel != null
                        && s.name().equals(sel.get("app.kubernetes.io/name"));
                  })
              .toList();
      if (egress.size() != 1) {
        v.add(
            "NetworkPolicy/"
                + s.name()
                + "-egress: expected one egress policy selecting "
                + s.name()
                + ", found "
                + egress.size());
        continue;
      }
      K8sObject policy = egress.get(0);
      Set<String> expected = new TreeSet<>(Set.of("dns", "kafka:9092", "minio:9000"));
      if (s.envReferences().stream().anyMatch(e -> e.contains("DB_") || e.contains("JDBC"))) {
        expected.add("postgres:5432");
      }
      boolean callsRegistry =
          d.getSpec().getTemplate().getSpec().getContainers().stream()
              .flatMap(
                  c ->
                      c.getEnv() == null
                          ? java.util.stream.Stream.<EnvVar>empty()
                          : c.getEnv().stream())
              .anyMatch(e -> e.getName().endsWith("REGISTRY_URL") && e.getValue() != null);
      if (callsRegistry) {
        expected.add("registry-service:" + ServiceConfig.of("registry-service").httpPort());
      }
      if (hasExternalSources(s)) {
        expected.add("internet:80,443");
      }
      Set<String> allowed = new TreeSet<>();
      List<NetworkPolicyEgressRule> rules = policy.as(NetworkPolicy.class).getSpec().getEgress();
      for (int i = 0; i < rules.size(); i++) {
        allowed.add(describe(rules.get(i), kafka));
      }
      if (!allowed.equals(expected)) {
        v.add(
            policy.id()
                + ": spec.egress: allows "
                + allowed
                + ", "
                + s.name()
                + " needs exactly "
                + expected);
      }
    }
    assertNone(overlay, v);
  }

  private static boolean hasExternalSources(ServiceConfig s) {
    java.util.Properties p = new java.util.Properties();
    try {
      p.load(
          new java.io.StringReader(
              Repo.read(Repo.path(s.name(), "src/main/resources/application.properties"))));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return p.stringPropertyNames().stream()
        .anyMatch(
            k ->
                k.matches("(%prod\\.)?conveyor\\.ingest\\.sources\\.[^.]+\\.type")
                    && p.getProperty(k).equals("http"));
  }

  /** One egress rule as "destination:ports", e.g. kafka:9092 (unknown shapes stay visible). */
  private static String describe(NetworkPolicyEgressRule r, Kafka kafka) {
    String ports =
        r.getPorts() == null
            ? "*"
            : r.getPorts().stream()
                .map(p -> p.getPort().getIntVal())
                .sorted()
                .distinct()
                .map(String::valueOf)
                .collect(Collectors.joining(","));
    if (r.getTo() == null || r.getTo().size() != 1) {
      return "?" + r.getTo() + ":" + ports;
    }
    NetworkPolicyPeer peer = r.getTo().get(0);
    if (peer.getIpBlock() != null) {
      return peer.getIpBlock().getCidr().equals("0.0.0.0/0")
              && !peer.getIpBlock().getExcept().isEmpty()
          ? "internet:" + ports
          : "ipBlock " + peer.getIpBlock().getCidr() + ":" + ports;
    }
    Map<String, String> labels =
        peer.getPodSelector() == null || peer.getPodSelector().getMatchLabels() == null
            ? Map.of()
            : peer.getPodSelector().getMatchLabels();
    if ("kube-dns".equals(labels.get("k8s-app")) && ports.equals("53")) {
      return "dns";
    }
    if (kafka.getMetadata().getName().equals(labels.get("strimzi.io/cluster"))) {
      return "kafka:" + ports;
    }
    String name = labels.get("app.kubernetes.io/name");
    return (name == null ? "?" + labels : name) + ":" + ports;
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void servingHasAnAutoscalerAndADisruptionBudget(String overlay) throws Exception {
    List<K8sObject> objects = render(overlay);
    Deployment serving = find(objects, "Deployment", "serving-service", Deployment.class);
    HorizontalPodAutoscaler hpa =
        objects.stream()
            .filter(o -> o.model() instanceof HorizontalPodAutoscaler)
            .map(o -> o.as(HorizontalPodAutoscaler.class))
            .filter(h -> h.getSpec().getScaleTargetRef().getName().equals("serving-service"))
            .findFirst()
            .orElse(null);
    assertTrue(hpa != null, "HorizontalPodAutoscaler/serving-service: missing");
    assertEquals(
        "Deployment",
        hpa.getSpec().getScaleTargetRef().getKind(),
        "HorizontalPodAutoscaler/serving-service: spec.scaleTargetRef.kind");
    assertTrue(
        hpa.getSpec().getMinReplicas() >= 1
            && hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas(),
        "HorizontalPodAutoscaler/serving-service: spec.minReplicas/maxReplicas: "
            + hpa.getSpec().getMinReplicas()
            + ".."
            + hpa.getSpec().getMaxReplicas());
    assertFalse(
        hpa.getSpec().getMetrics().isEmpty(),
        "HorizontalPodAutoscaler/serving-service: spec.metrics: empty");
    if (overlay.equals("production")) {
      assertTrue(
          hpa.getSpec().getMinReplicas() >= 2,
          "HorizontalPodAutoscaler/serving-service: spec.minReplicas: production keeps two replicas so the PodDisruptionBudget never blocks a drain");
    }
    Map<String, String> podLabels = serving.getSpec().getTemplate().getMetadata().getLabels();
    PodDisruptionBudget pdb =
        objects.stream()
            .filter(o -> o.model() instanceof PodDisruptionBudget)
            .map(o -> o.as(PodDisruptionBudget.class))
            .filter(
                p ->
                    podLabels
                        .entrySet()
                        .containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()))
            .findFirst()
            .orElse(null);
    assertTrue(
        pdb != null,
        "PodDisruptionBudget/serving-service: none selects the serving pods " + podLabels);
    assertTrue(
        pdb.getSpec().getMinAvailable() != null || pdb.getSpec().getMaxUnavailable() != null,
        "PodDisruptionBudget/" + pdb.getMetadata().getName() + ": spec.minAvailable: missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void trainerScalesOnTrainRequestedLag(String overlay) throws Exception {
    List<K8sObject> objects = render(overlay);
    ServiceConfig trainer = ServiceConfig.of("trainer-service");
    List<ScaledObject> scaled =
        objects.stream()
            .filter(o -> o.model() instanceof ScaledObject)
            .map(o -> o.as(ScaledObject.class))
            .toList();
    ScaledObject so =
        scaled.stream()
            .filter(s -> s.spec().scaleTargetRef().name().equals("trainer-service"))
            .findFirst()
            .orElse(null);
    assertTrue(so != null, "ScaledObject/trainer-service: missing");
    String id = "ScaledObject/" + so.metadata().getName();
    assertTrue(
        find(objects, "Deployment", "trainer-service", Deployment.class) != null,
        id + ": spec.scaleTargetRef: no Deployment trainer-service");
    assertEquals(1, so.spec().triggers().size(), id + ": spec.triggers");
    ScaledObject.Trigger t = so.spec().triggers().get(0);
    assertEquals("kafka", t.type(), id + ": spec.triggers[0].type");
    assertEquals(
        Topics.TRAIN_REQUESTED,
        t.metadata().get("topic"),
        id + ": spec.triggers[0].metadata.topic");
    assertTrue(
        trainer.incoming().contains(t.metadata().get("topic")),
        id + ": the trainer does not consume " + t.metadata().get("topic"));
    assertEquals(
        trainer.consumerGroup(),
        t.metadata().get("consumerGroup"),
        id + ": spec.triggers[0].metadata.consumerGroup (the trainer's group id)");
    Kafka kafka =
        objects.stream()
            .filter(o -> o.model() instanceof Kafka)
            .map(o -> o.as(Kafka.class))
            .findFirst()
            .orElseThrow();
    int port = kafka.getSpec().getKafka().getListeners().get(0).getPort();
    String bootstrap = t.metadata().get("bootstrapServers");
    assertTrue(
        bootstrap != null
            && bootstrap.startsWith(kafka.getMetadata().getName() + "-kafka-bootstrap")
            && bootstrap.endsWith(":" + port),
        id + ": spec.triggers[0].metadata.bootstrapServers: " + bootstrap);
    assertTrue(
        t.metadata().containsKey("lagThreshold"),
        id + ": spec.triggers[0].metadata.lagThreshold: missing");
    KafkaTopic topic =
        objects.stream()
            .filter(o -> o.model() instanceof KafkaTopic && o.name().equals(Topics.TRAIN_REQUESTED))
            .map(o -> o.as(KafkaTopic.class))
            .findFirst()
            .orElseThrow();
    assertTrue(
        so.spec().maxReplicaCount() != null
            && so.spec().maxReplicaCount() <= topic.getSpec().getPartitions(),
        id
            + ": spec.maxReplicaCount: "
            + so.spec().maxReplicaCount()
            + " pods for "
            + topic.getSpec().getPartitions()
            + " partitions");
  }

  @ParameterizedTest
  @ValueSource(strings = {"production"})
  void productionTrainerGetsOneGpuOnAGpuNode(String overlay) throws Exception {
    Deployment trainer = find(render(overlay), "Deployment", "trainer-service", Deployment.class);
    var pod = trainer.getSpec().getTemplate().getSpec();
    String id = "Deployment/trainer-service";
    Container c =
        pod.getContainers().stream()
            .filter(x -> x.getName().equals("trainer-service"))
            .findFirst()
            .orElseThrow();
    Quantity gpu = c.getResources().getLimits().get("nvidia.com/gpu");
    assertEquals(
        new Quantity("1"),
        gpu,
        id + ": spec.template.spec.containers[0].resources.limits.nvidia.com/gpu");
    List<Toleration> tolerations = pod.getTolerations() == null ? List.of() : pod.getTolerations();
    assertTrue(
        tolerations.stream()
            .anyMatch(
                t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect())),
        id + ": spec.template.spec.tolerations: no toleration of the nvidia.com/gpu taint");
    assertEquals(
        "true",
        pod.getNodeSelector() == null ? null : pod.getNodeSelector().get("nvidia.com/gpu.present"),
        id + ": spec.template.spec.nodeSelector.nvidia.com/gpu.present");
    assertTrue(
        c.getImage().endsWith("-cu124"),
        id
            + ": spec.template.spec.containers[0].image: "
            + c.getImage()
            + " is not the CUDA build (-Pgpu)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local"})
  void localOverlayAsksForNoGpu(String overlay) throws Exception {
    for (K8sObject o : render(overlay)) {
      ManifestChecks.pod(o)
          .ifPresent(
              p ->
                  p.spec()
                      .getContainers()
                      .forEach(
                          c -> {
                            var limits =
                                c.getResources() == null ? null : c.getResources().getLimits();
                            assertTrue(
                                limits == null || !limits.containsKey("nvidia.com/gpu"),
                                o.id()
                                    + ": "
                                    + p.path()
                                    + ".containers["
                                    + c.getName()
                                    + "].resources.limits.nvidia.com/gpu: kind/minikube have no GPU");
                          }));
    }
  }

  static <T> T find(List<K8sObject> objects, String kind, String name, Class<T> type) {
    return objects.stream()
        .filter(o -> o.kind().equals(kind) && o.name().equals(name))
        .map(o -> o.as(type))
        .findFirst()
        .orElse(null);
  }
}
