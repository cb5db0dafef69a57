package dev.conveyor.registry;

import static io.restassured.RestAssured.given;

import dev.conveyor.events.Topics;
import dev.conveyor.localstack.testing.Await;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.storage.ObjectStore;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What every registry test needs: the stack's Kafka, the bucket and the REST API. */
abstract class RegistryTestBase {
  static final String ADMIN = "admin";
  static final String ADMIN_PASSWORD = "test-admin-secret";

  @Inject ObjectStore store;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  Flow flow(String prefix) {
    return new Flow(bootstrap, store, prefix + "-" + Long.toString(System.nanoTime(), 36));
  }

  static String run(Flow f, int n) {
    return "run-" + f.model + "-" + n;
  }

  /** The champion's JSON, or null while there is none. */
  static JsonPath champion(String model) {
    Response r = given().get("/models/{m}/aliases/champion", model);
    return r.statusCode() == 200 ? r.jsonPath() : null;
  }

  static JsonPath championIs(String model, long version) {
    return Await.until(
        () -> {
          JsonPath c = champion(model);
          return c != null && c.getLong("version") == version ? c : null;
        },
        model + " champion v" + version);
  }

  static JsonPath version(String model, long version) {
    Response r = given().get("/models/{m}/versions/{v}", model, version);
    return r.statusCode() == 200 ? r.jsonPath() : null;
  }

  static JsonPath versionWithStatus(String model, long version, String status) {
    return Await.until(
        () -> {
          JsonPath v = version(model, version);
          return v != null && status.equals(v.getString("status")) ? v : null;
        },
        model + ":" + version + " " + status);
  }

  static JsonPath lineage(String model, long version) {
    return given()
        .get("/models/{m}/versions/{v}/lineage", model, version)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static List<java.util.Map<String, Object>> history(String model) {
    return given()
        .get("/models/{m}/aliases/champion/history", model)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  List<ConsumerRecord<String, String>> promoted(String model) {
    return new TestKafka(bootstrap).records(Topics.MODEL_PROMOTED, r -> model.equals(r.key()));
  }
}
