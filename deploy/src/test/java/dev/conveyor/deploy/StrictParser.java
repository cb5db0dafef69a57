package dev.conveyor.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered manifests strictly into typed models: fabric8's kubernetes-model for core
 * objects, Strimzi's {@code api} for Kafka, KafkaNodePool and KafkaTopic, the {@link ScaledObject}
 * records for KEDA. An unknown field, a wrong type, an unknown kind or API version is an error
 * naming the object and the field.
 */
final class StrictParser {

  /** One parsed object: its kind, name, typed model and the raw tree it came from. */
  record K8sObject(String kind, String name, Object model, JsonNode raw) {
    String id() {
      return kind + "/" + name;
    }

    <T> T as(Class<T> type) {
      return type.cast(model);
    }
  }

  /** Every (apiVersion, kind) a Conveyor manifest may contain, and its model. */
  static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("apps/v1/DaemonSet", DaemonSet.class),
          Map.entry("batch/v1/Job", Job.class),
          Map.entry("batch/v1/CronJob", CronJob.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
          Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
          Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
          Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
          Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
          Map.entry("keda.sh/v1alpha1/ScaledObject", ScaledObject.class));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper STRICT = strictMapper();

  private StrictParser() {}

  /**
   * fabric8's and Strimzi's models keep unknown fields in an {@code additionalProperties} map (a
   * Jackson any-setter); removing it makes an unknown field an {@code
   * UnrecognizedPropertyException} like in any plain bean.
   */
  static ObjectMapper strictMapper() {
    SimpleModule strict = new SimpleModule("strict-manifests");
    strict.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public BeanDeserializerBuilder updateBuilder(
              DeserializationConfig config, BeanDescription bean, BeanDeserializerBuilder builder) {
            builder.setAnySetter(null);
            builder.setIgnoreUnknownProperties(false);
            return builder;
          }
        });
    return JsonMapper.builder()
        .addModule(strict)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .build();
  }

  /** The YAML documents of {@code yaml} as trees (empty documents skipped). */
  static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (it.hasNextValue()) {
        JsonNode n = it.nextValue();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          docs.add(n);
        }
      }
    }
    return docs;
  }

  /** Every document of {@code yaml}, typed; the first problem fails with its object and field. */
  static List<K8sObject> parse(String yaml) throws IOException {
    List<K8sObject> objects = new ArrayList<>();
    for (JsonNode doc : documents(yaml)) {
      objects.add(parse(doc));
    }
    return objects;
  }

  static K8sObject parse(JsonNode doc) {
    String apiVersion = doc.path("apiVersion").asText("");
    String kind = doc.path("kind").asText("");
    String name = doc.path("metadata").path("name").asText("");
    String id = (kind.isEmpty() ? "?" : kind) + "/" + (name.isEmpty() ? "?" : name);
    if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
      throw new ManifestException(id + ": apiVersion, kind and metadata.name are required");
    }
    Class<?> type = MODELS.get(apiVersion + "/" + kind);
    if (type == null) {
      throw new ManifestException(
          id
              + ": apiVersion: no typed model for "
              + apiVersion
              + " "
              + kind
              + " (known: "
              + new java.util.TreeSet<>(MODELS.keySet())
              + ")");
    }
    Object model;
    try {
      model = STRICT.treeToValue(doc, type);
    } catch (JsonMappingException e) {
      throw new ManifestException(id + ": " + field(e) + ": " + reason(e), e);
    } catch (JsonProcessingException e) {
      throw new ManifestException(id + ": " + e.getOriginalMessage(), e);
    }
    if (model instanceof HasMetadata m && !name.equals(m.getMetadata().getName())) {
      throw new ManifestException(id + ": metadata.name: not read back");
    }
    if (model instanceof ScaledObject so) {
      List<String> v = so.violations();
      if (!v.isEmpty()) {
        throw new ManifestException(id + ": " + v.get(0));
      }
    }
    return new K8sObject(kind, name, model, doc);
  }

  /** The JSON path of the failing field, e.g. {@code spec.template.spec.containers[0].image}. */
  static String field(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "(document)" : sb.toString();
  }

  private static String reason(JsonMappingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) {
      return "unknown field";
    }
    String m = e.getOriginalMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** A manifest that does not parse strictly; the message names the object and the field. */
  static final class ManifestException extends RuntimeException {
    ManifestException(String message) {
      super(message);
    }

    ManifestException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
