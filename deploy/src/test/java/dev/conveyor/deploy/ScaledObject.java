package dev.conveyor.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's {@code keda.sh/v1alpha1 ScaledObject}, which has no Maven model: the fields of KEDA 2.x's
 * CRD that Conveyor may use, as records. The strict mapper rejects any other field; {@link
 * #violations()} adds what the CRD's schema requires and the Kafka scaler's known metadata keys.
 */
record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

  /** Metadata keys KEDA's Kafka scaler reads (KEDA 2.x docs); anything else is a typo. */
  static final Set<String> KAFKA_METADATA =
      Set.of(
          "bootstrapServers",
          "consumerGroup",
          "topic",
          "lagThreshold",
          "activationLagThreshold",
          "offsetResetPolicy",
          "allowIdleConsumers",
          "scaleToZeroOnInvalidOffset",
          "excludePersistentLag",
          "limitToPartitionsWithLag",
          "ensureEvenDistributionOfPartitions",
          "partitionLimitation",
          "version",
          "sasl",
          "tls",
          "unsafeSsl");

  record Spec(
      ScaleTargetRef scaleTargetRef,
      Integer pollingInterval,
      Integer cooldownPeriod,
      Integer initialCooldownPeriod,
      Integer idleReplicaCount,
      Integer minReplicaCount,
      Integer maxReplicaCount,
      Advanced advanced,
      Fallback fallback,
      List<Trigger> triggers) {}

  record ScaleTargetRef(
      String apiVersion, String kind, String name, String envSourceContainerName) {}

  record Advanced(Boolean restoreToOriginalReplicaCount, HpaConfig horizontalPodAutoscalerConfig) {}

  record HpaConfig(String name, HorizontalPodAutoscalerBehavior behavior) {}

  record Fallback(Integer failureThreshold, Integer replicas, String behavior) {}

  record Trigger(
      String type,
      String name,
      Boolean useCachedMetrics,
      String metricType,
      Map<String, String> metadata,
      AuthenticationRef authenticationRef) {}

  record AuthenticationRef(String name, String kind) {}

  /** What the CRD requires beyond field names, as "field: problem" strings. */
  List<String> violations() {
    List<String> v = new java.util.ArrayList<>();
    if (spec == null) {
      return List.of("spec: missing");
    }
    if (spec.scaleTargetRef() == null || blank(spec.scaleTargetRef().name())) {
      v.add("spec.scaleTargetRef.name: missing");
    }
    if (spec.triggers() == null || spec.triggers().isEmpty()) {
      v.add("spec.triggers: at least one trigger is required");
    } else {
      for (int i = 0; i < spec.triggers().size(); i++) {
        Trigger t = spec.triggers().get(i);
        String at = "spec.triggers[" + i + "]";
        if (blank(t.type())) {
          v.add(at + ".type: missing");
        }
        if (t.metadata() == null) {
          v.add(at + ".metadata: missing");
        } else if ("kafka".equals(t.type())) {
          for (String k : t.metadata().keySet()) {
            if (!KAFKA_METADATA.contains(k)) {
              v.add(at + ".metadata." + k + ": not a Kafka scaler setting");
            }
          }
        }
      }
    }
    if (spec.minReplicaCount() != null
        && spec.maxReplicaCount() != null
        && spec.minReplicaCount() > spec.maxReplicaCount()) {
      v.add("spec.minReplicaCount: greater than maxReplicaCount");
    }
    return v;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
