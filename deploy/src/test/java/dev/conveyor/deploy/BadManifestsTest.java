package dev.conveyor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.deploy.StrictParser.K8sObject;
import dev.conveyor.deploy.StrictParser.ManifestException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input: the rendered production overlay with one thing broken must fail, and the message must
 * name the object (Kind/name) and the field.
 */
class BadManifestsTest {
  private static List<JsonNode> docs;

  @BeforeAll
  static void render() throws Exception {
    docs = StrictParser.documents(Tools.kustomize(Repo.path("deploy", "overlays", "production")));
  }

  private static ObjectNode copyOf(String kind, String name) {
    return (ObjectNode)
        docs.stream()
            .filter(
                d ->
                    d.path("kind").asText().equals(kind)
                        && d.path("metadata").path("name").asText().equals(name))
            .findFirst()
            .orElseThrow()
            .deepCopy();
  }

  private static ObjectNode servingContainer(ObjectNode deployment) {
    return (ObjectNode) deployment.at("/spec/template/spec/containers/0");
  }

  /** Violations of the whole overlay with {@code changed} in place of its original. */
  private static List<String> violationsWith(ObjectNode changed) {
    List<K8sObject> objects = new ArrayList<>();
    for (JsonNode d : docs) {
      boolean same =
          d.path("kind").equals(changed.path("kind"))
              && d.path("metadata").path("name").equals(changed.path("metadata").path("name"));
      objects.add(StrictParser.parse(same ? changed : d));
    }
    return ManifestChecks.violations(objects);
  }

  @Test
  void theUnchangedOverlayIsClean() {
    assertEquals(List.of(), violationsWith(copyOf("Deployment", "serving-service")));
  }

  @Test
  void anUnknownFieldNamesTheObjectAndTheField() {
    ObjectNode d = copyOf("Deployment", "serving-service");
    servingContainer(d).set("readinessProb", servingContainer(d).get("readinessProbe"));
    ManifestException e = assertThrows(ManifestException.class, () -> StrictParser.parse(d));
    assertEquals(
        "Deployment/serving-service: spec.template.spec.containers[0].readinessProb: unknown field",
        e.getMessage());
  }

  @Test
  void anUnknownFieldInAStrimziResourceIsCaughtToo() {
    ObjectNode t = copyOf("KafkaTopic", "train-requested.dlq");
    ((ObjectNode) t.get("spec")).put("partition", 3);
    ManifestException e = assertThrows(ManifestException.class, () -> StrictParser.parse(t));
    assertEquals("KafkaTopic/train-requested.dlq: spec.partition: unknown field", e.getMessage());

    ObjectNode pool = copyOf("KafkaNodePool", "dual-role");
    ((ObjectNode) pool.at("/spec/storage/volumes/0")).put("sizeLimit", "20Gi");
    e = assertThrows(ManifestException.class, () -> StrictParser.parse(pool));
    assertEquals(
        "KafkaNodePool/dual-role: spec.storage.volumes[0].sizeLimit: unknown field",
        e.getMessage());
  }

  @Test
  void aWrongTypeNamesTheField() {
    ObjectNode d = copyOf("Deployment", "trainer-service");
    ((ObjectNode) d.get("spec")).put("replicas", "two");
    ManifestException e = assertThrows(ManifestException.class, () -> StrictParser.parse(d));
    assertTrue(
        e.getMessage().startsWith("Deployment/trainer-service: spec.replicas: "), e.getMessage());
  }

  @Test
  void aScaledObjectIsCheckedAgainstItsSchema() {
    ObjectNode so = copyOf("ScaledObject", "trainer-service");
    ((ObjectNode) so.get("spec")).put("maxReplicas", 5);
    ManifestException e = assertThrows(ManifestException.class, () -> StrictParser.parse(so));
    assertEquals("ScaledObject/trainer-service: spec.maxReplicas: unknown field", e.getMessage());

    ObjectNode typo = copyOf("ScaledObject", "trainer-service");
    ((ObjectNode) typo.at("/spec/triggers/0/metadata")).put("lagTreshold", "1");
    e = assertThrows(ManifestException.class, () -> StrictParser.parse(typo));
    assertEquals(
        "ScaledObject/trainer-service: spec.triggers[0].metadata.lagTreshold: not a Kafka scaler setting",
        e.getMessage());
  }

  @Test
  void anOldOrUnknownApiVersionIsRefused() {
    ObjectNode k = copyOf("Kafka", "conveyor");
    k.put("apiVersion", "kafka.strimzi.io/v1beta2");
    ManifestException e = assertThrows(ManifestException.class, () -> StrictParser.parse(k));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Kafka/conveyor: apiVersion: no typed model for kafka.strimzi.io/v1beta2 Kafka"),
        e.getMessage());
  }

  @Test
  void aMissingProbeNamesTheObjectAndTheField() {
    ObjectNode d = copyOf("Deployment", "serving-service");
    servingContainer(d).remove("readinessProbe");
    assertEquals(
        List.of(
            "Deployment/serving-service: spec.template.spec.containers[0].readinessProbe: missing (container serving-service)"),
        violationsWith(d));
  }

  @Test
  void missingResourcesAreNamed() {
    ObjectNode d = copyOf("StatefulSet", "postgres");
    ((ObjectNode) d.at("/spec/template/spec/containers/0/resources")).remove("limits");
    assertEquals(
        List.of(
            "StatefulSet/postgres: spec.template.spec.containers[0].resources.limits.memory: missing"),
        violationsWith(d));
  }

  @Test
  void aDuplicateVolumeOrAMissingConfigMapIsNamed() {
    ObjectNode d = copyOf("StatefulSet", "postgres");
    ArrayNode volumes = (ArrayNode) d.at("/spec/template/spec/volumes");
    assertEquals("initdb", volumes.get(0).path("name").asText());
    // the generator's name without its hash suffix: kustomize did not rewrite the reference
    ((ObjectNode) volumes.get(0).get("configMap")).put("name", "postgres-initdb");
    volumes.add(volumes.get(1).deepCopy());
    assertEquals(
        List.of(
            "StatefulSet/postgres: spec.template.spec.volumes[0].configMap.name: no ConfigMap postgres-initdb in this overlay",
            "StatefulSet/postgres: spec.template.spec.volumes[2].name: 'run' twice"),
        violationsWith(d));
  }

  @Test
  void anInlineSecretValueNamesTheObjectAndTheField() {
    ObjectNode d = copyOf("Deployment", "serving-service");
    ArrayNode env = (ArrayNode) servingContainer(d).get("env");
    int index = -1;
    for (int i = 0; i < env.size(); i++) {
      if (env.get(i).path("name").asText().equals("CONVEYOR_S3_SECRET_KEY")) {
        index = i;
        ObjectNode e = (ObjectNode) env.get(i);
        e.remove("valueFrom");
        e.put("value", "minio-secret-123");
      }
    }
    assertTrue(index >= 0, "serving-service has no CONVEYOR_S3_SECRET_KEY");
    assertEquals(
        List.of(
            "Deployment/serving-service: spec.template.spec.containers[0].env["
                + index
                + "].value: inline secret value for CONVEYOR_S3_SECRET_KEY; use valueFrom.secretKeyRef"),
        violationsWith(d));
  }

  @Test
  void aSecretObjectOrACredentialInAConfigMapIsRefused() throws Exception {
    String yaml =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: conveyor-s3
        stringData:
          access-key: conveyor
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ingest-config
        data:
          application.properties: |
            conveyor.s3.secret-key=hunter22
        """;
    assertEquals(
        List.of(
            "Secret/conveyor-s3: kind: no Secret in the repository; create it in the cluster (deploy/README.md)",
            "ConfigMap/ingest-config: data.application.properties: looks like a credential; reference a Secret instead"),
        ManifestChecks.violations(StrictParser.parse(yaml)));
  }
}
