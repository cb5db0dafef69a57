package dev.conveyor.deploy;

import dev.conveyor.deploy.StrictParser.K8sObject;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Rules every rendered overlay must keep, as "Kind/name: field: problem" violations: probes and
 * resources on every container, no inline secret, pinned images, Strimzi's v1 shape.
 */
final class ManifestChecks {
  /** An environment variable or config key that holds a credential by its name. */
  static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|credential|private|access.?key|api.?key).*");

  /**
   * A credential written into a string ({@code password=hunter2}); {@code ${VAR}} forms are fine.
   */
  static final Pattern SECRET_IN_TEXT =
      Pattern.compile("(?i)(password|passwd|secret.?key|token)\\s*[=:]\\s*(?![\\s\"'$?{}-])\\S");

  private ManifestChecks() {}

  /** The pod template of a workload, and whether it runs until stopped (probes apply). */
  record Pod(String path, PodSpec spec, boolean longRunning, List<String> claims) {
    Pod(String path, PodSpec spec, boolean longRunning) {
      this(path, spec, longRunning, List.of());
    }
  }

  static Optional<Pod> pod(K8sObject o) {
    Object m = o.model();
    if (m instanceof Deployment d) {
      return Optional.of(new Pod("spec.template.spec", d.getSpec().getTemplate().getSpec(), true));
    } else if (m instanceof StatefulSet s) {
      // a StatefulSet's volumeClaimTemplates are volumes of its pods too
      List<String> claims =
          s.getSpec().getVolumeClaimTemplates() == null
              ? List.of()
              : s.getSpec().getVolumeClaimTemplates().stream()
                  .map(c -> c.getMetadata().getName())
                  .toList();
      return Optional.of(
          new Pod("spec.template.spec", s.getSpec().getTemplate().getSpec(), true, claims));
    } else if (m instanceof DaemonSet s) {
      return Optional.of(new Pod("spec.template.spec", s.getSpec().getTemplate().getSpec(), true));
    } else if (m instanceof Job j) {
      return Optional.of(new Pod("spec.template.spec", j.getSpec().getTemplate().getSpec(), false));
    } else if (m instanceof CronJob c) {
      return Optional.of(
          new Pod(
              "spec.jobTemplate.spec.template.spec",
              c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(),
              false));
    }
    return Optional.empty();
  }

  /** Every violation of the generic rules in {@code objects}. */
  static List<String> violations(List<K8sObject> objects) {
    List<String> v = new ArrayList<>();
    Set<String> kafkas =
        objects.stream()
            .filter(o -> o.model() instanceof Kafka)
            .map(K8sObject::name)
            .collect(Collectors.toSet());
    Set<String> configMaps =
        objects.stream()
            .filter(o -> o.kind().equals("ConfigMap"))
            .map(K8sObject::name)
            .collect(Collectors.toSet());
    for (K8sObject o : objects) {
      String id = o.id();
      if (o.kind().equals("Secret")) {
        v.add(
            id
                + ": kind: no Secret in the repository; create it in the cluster (deploy/README.md)");
      }
      if (o.model() instanceof ConfigMap cm && cm.getData() != null) {
        cm.getData()
            .forEach(
                (k, val) -> {
                  if (SECRET_NAME.matcher(k).matches() || SECRET_IN_TEXT.matcher(val).find()) {
                    v.add(
                        id
                            + ": data."
                            + k
                            + ": looks like a credential; reference a Secret instead");
                  }
                });
      }
      pod(o).ifPresent(p -> v.addAll(podViolations(id, p)));
      pod(o).ifPresent(p -> v.addAll(referenceViolations(id, p, configMaps)));
      if (o.model() instanceof Kafka k) {
        v.addAll(kafkaViolations(id, k));
      }
      if (o.model() instanceof KafkaNodePool np) {
        cluster(id, o, kafkas, v);
        requireResources(id, "spec.resources", np.getSpec().getResources(), v);
        if (np.getSpec().getRoles() == null || np.getSpec().getRoles().isEmpty()) {
          v.add(id + ": spec.roles: missing (controller and/or broker)");
        }
      }
      if (o.model() instanceof KafkaTopic t) {
        cluster(id, o, kafkas, v);
        if (t.getSpec() == null || t.getSpec().getPartitions() == null) {
          v.add(id + ": spec.partitions: missing");
        }
      }
    }
    return v;
  }

  private static void cluster(String id, K8sObject o, Set<String> kafkas, List<String> v) {
    String c = o.raw().path("metadata").path("labels").path("strimzi.io/cluster").asText("");
    if (!kafkas.contains(c)) {
      v.add(
          id + ": metadata.labels.strimzi.io/cluster: '" + c + "' names no Kafka in this overlay");
    }
  }

  private static List<String> kafkaViolations(String id, Kafka k) {
    List<String> v = new ArrayList<>();
    // Strimzi's v1 API drops what node pools and KRaft replaced; the Java model still has them
    if (k.getSpec().getZookeeper() != null) {
      v.add(id + ": spec.zookeeper: not in kafka.strimzi.io/v1 (KRaft only)");
    }
    if (k.getSpec().getJmxTrans() != null) {
      v.add(id + ": spec.jmxTrans: not in kafka.strimzi.io/v1");
    }
    if (k.getSpec().getKafka().getReplicas() != null) {
      v.add(id + ": spec.kafka.replicas: not in kafka.strimzi.io/v1 (set it on the KafkaNodePool)");
    }
    if (k.getSpec().getKafka().getStorage() != null) {
      v.add(id + ": spec.kafka.storage: not in kafka.strimzi.io/v1 (set it on the KafkaNodePool)");
    }
    var eo = k.getSpec().getEntityOperator();
    if (eo != null && eo.getTopicOperator() != null) {
      requireResources(
          id,
          "spec.entityOperator.topicOperator.resources",
          eo.getTopicOperator().getResources(),
          v);
    }
    return v;
  }

  /**
   * What the API server or the kubelet would refuse: duplicate volume, container or env names, a
   * mount of a volume that does not exist, a ConfigMap that is not in the overlay.
   */
  static List<String> referenceViolations(String id, Pod p, Set<String> configMaps) {
    List<String> v = new ArrayList<>();
    Set<String> volumes = new java.util.HashSet<>(p.claims());
    List<io.fabric8.kubernetes.api.model.Volume> vs =
        p.spec().getVolumes() == null ? List.of() : p.spec().getVolumes();
    for (int i = 0; i < vs.size(); i++) {
      var vol = vs.get(i);
      if (!volumes.add(vol.getName())) {
        v.add(id + ": " + p.path() + ".volumes[" + i + "].name: '" + vol.getName() + "' twice");
      }
      if (vol.getConfigMap() != null && !configMaps.contains(vol.getConfigMap().getName())) {
        v.add(
            id
                + ": "
                + p.path()
                + ".volumes["
                + i
                + "].configMap.name: no ConfigMap "
                + vol.getConfigMap().getName()
                + " in this overlay");
      }
    }
    List<Container> all = new ArrayList<>(p.spec().getContainers());
    if (p.spec().getInitContainers() != null) {
      all.addAll(p.spec().getInitContainers());
    }
    Set<String> names = new java.util.HashSet<>();
    for (Container c : all) {
      String at = p.path() + ".containers[" + c.getName() + "]";
      if (!names.add(c.getName())) {
        v.add(id + ": " + at + ".name: twice");
      }
      Set<String> env = new java.util.HashSet<>();
      for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
        if (!env.add(e.getName())) {
          v.add(id + ": " + at + ".env: " + e.getName() + " twice");
        }
      }
      if (c.getVolumeMounts() != null) {
        c.getVolumeMounts().stream()
            .filter(m -> !volumes.contains(m.getName()))
            .forEach(m -> v.add(id + ": " + at + ".volumeMounts: no volume " + m.getName()));
      }
    }
    return v;
  }

  static List<String> podViolations(String id, Pod p) {
    List<String> v = new ArrayList<>();
    List<Container> containers = p.spec().getContainers();
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      String at = p.path() + ".containers[" + i + "]";
      if (p.longRunning()) {
        // a Job runs to completion: readiness means nothing there, activeDeadlineSeconds bounds it
        if (c.getReadinessProbe() == null) {
          v.add(id + ": " + at + ".readinessProbe: missing (container " + c.getName() + ")");
        }
        if (c.getLivenessProbe() == null) {
          v.add(id + ": " + at + ".livenessProbe: missing (container " + c.getName() + ")");
        }
      }
      v.addAll(containerViolations(id, at, c));
    }
    List<Container> inits =
        p.spec().getInitContainers() == null ? List.of() : p.spec().getInitContainers();
    for (int i = 0; i < inits.size(); i++) {
      v.addAll(containerViolations(id, p.path() + ".initContainers[" + i + "]", inits.get(i)));
    }
    return v;
  }

  private static List<String> containerViolations(String id, String at, Container c) {
    List<String> v = new ArrayList<>();
    requireResources(id, at + ".resources", c.getResources(), v);
    String image = c.getImage() == null ? "" : c.getImage();
    String lastPart = image.substring(image.lastIndexOf('/') + 1);
    if (!image.contains("@sha256:") && (!lastPart.contains(":") || lastPart.endsWith(":latest"))) {
      v.add(id + ": " + at + ".image: '" + image + "' is not pinned to a version");
    }
    List<EnvVar> env = c.getEnv() == null ? List.of() : c.getEnv();
    for (int i = 0; i < env.size(); i++) {
      EnvVar e = env.get(i);
      boolean literal = e.getValue() != null && !e.getValue().isEmpty();
      if (literal
          && (SECRET_NAME.matcher(e.getName()).matches()
              || SECRET_IN_TEXT.matcher(e.getValue()).find())) {
        v.add(
            id
                + ": "
                + at
                + ".env["
                + i
                + "].value: inline secret value for "
                + e.getName()
                + "; use valueFrom.secretKeyRef");
      }
    }
    List<String> words = new ArrayList<>();
    if (c.getCommand() != null) {
      words.addAll(c.getCommand());
    }
    if (c.getArgs() != null) {
      words.addAll(c.getArgs());
    }
    for (String w : words) {
      if (SECRET_IN_TEXT.matcher(w).find()) {
        v.add(id + ": " + at + ".command: holds a credential; pass it in from a Secret");
      }
    }
    return v;
  }

  static void requireResources(String id, String at, ResourceRequirements r, List<String> v) {
    Map<String, Quantity> req = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
    Map<String, Quantity> lim = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
    if (!req.containsKey("cpu")) {
      v.add(id + ": " + at + ".requests.cpu: missing");
    }
    if (!req.containsKey("memory")) {
      v.add(id + ": " + at + ".requests.memory: missing");
    }
    if (!lim.containsKey("memory")) {
      v.add(id + ": " + at + ".limits.memory: missing");
    }
  }
}
