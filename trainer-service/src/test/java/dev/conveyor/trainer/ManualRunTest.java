package dev.conveyor.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.storage.ObjectStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /runs}: admin only, validated, published to train-requested and trained from it. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class ManualRunTest {
  static DatasetRef data;

  @Inject ObjectStore store;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  TestKafka kafka;

  @BeforeEach
  void setUp() throws Exception {
    kafka = new TestKafka(bootstrap);
    if (data == null) {
      data = Datasets.addOne(store, "add-one-manual", 1, 100, 7);
    }
  }

  static RequestSpecification admin() {
    return given().auth().preemptive().basic("admin", "test-admin").contentType("application/json");
  }

  String body(String config) {
    return "{\"model\":\"smoke\",\"dataset\":{\"name\":\""
        + data.name()
        + "\",\"version\":"
        + data.version()
        + ",\"digest\":\""
        + data.digest()
        + "\"},\"config\":"
        + config
        + "}";
  }

  @Test
  void onlyTheAdminMayRequestARun() {
    given()
        .contentType("application/json")
        .body(body("{}"))
        .post("/runs")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", containsString("Basic"))
        .body("status", equalTo(401));
    given()
        .auth()
        .preemptive()
        .basic("viewer", "test-viewer")
        .contentType("application/json")
        .body(body("{}"))
        .post("/runs")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("status", equalTo(403));
  }

  @Test
  void aBadBodyOrConfigIsA400AndNothingIsPublished() {
    String marker = "learningRat" + UUID.randomUUID().toString().substring(0, 8);
    admin()
        .body(body("{\"" + marker + "\":0.5}"))
        .post("/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("unknown config key '" + marker + "'"));
    admin()
        .body(body("{\"steps\":\"many\"}"))
        .post("/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("'steps'"));
    admin()
        .body("{\"model\":\"smoke\",")
        .post("/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("not valid JSON"));
    admin()
        .body("{\"model\":\"smoke\"}")
        .post("/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("dataset"));
    admin()
        .body("{\"dataset\":{\"name\":\"x\",\"version\":1,\"digest\":\"" + data.digest() + "\"}}")
        .post("/runs")
        .then()
        .statusCode(400)
        .body("detail", containsString("model"));
    admin()
        .body(body("{}").replace("\"config\"", "\"confg\""))
        .post("/runs")
        .then()
        .statusCode(400)
        .body("detail", containsString("unknown field 'confg'"));
    admin()
        .body(body("{}").replace("}}", "},\"reason\":\"new-data\"}"))
        .post("/runs")
        .then()
        .statusCode(400)
        .body("detail", containsString("reason"));
    assertTrue(
        kafka.records(Topics.TRAIN_REQUESTED).stream().noneMatch(r -> r.value().contains(marker)),
        "a refused request must not be published");
  }

  @Test
  void anAcceptedRequestIsPublishedConsumedAndTrained() {
    JsonPath accepted =
        admin()
            .body(body("{\"seed\":11,\"steps\":10}"))
            .post("/runs")
            .then()
            .statusCode(202)
            .contentType("application/json")
            .header("Location", containsString("/runs/run-"))
            .extract()
            .jsonPath();
    String requestId = accepted.getString("requestId");
    String eventId = accepted.getString("eventId");
    String runId = accepted.getString("runId");
    assertTrue(runId.matches("run-[0-9a-f]{12}"), runId);

    // the same request again maps to the same run (the trainer will not train it twice)
    admin()
        .body(body("{\"steps\":10,\"seed\":11}"))
        .post("/runs")
        .then()
        .statusCode(202)
        .body("runId", equalTo(runId));

    ConsumerRecord<String, String> published =
        kafka.records(Topics.TRAIN_REQUESTED).stream()
            .filter(r -> eventId.equals(TestKafka.headers(r).get("ce_id")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no train-requested with ce_id " + eventId));
    assertEquals("smoke", published.key());
    assertEquals(Sources.TRAINER, TestKafka.headers(published).get("ce_source"));
    assertEquals("dev.conveyor.train-requested.v1", TestKafka.headers(published).get("ce_type"));
    assertEquals(runId, TestKafka.headers(published).get("ce_" + CloudEventAttributes.RUN_ID));
    List<CloudEvent<TrainRequested>> requests =
        kafka.events(EventTypes.TRAIN_REQUESTED, t -> t.requestId().equals(requestId));
    assertEquals(1, requests.size());
    TrainRequested req = requests.get(0).data();
    assertEquals("admin", req.requestedBy());
    assertEquals(TrainRequested.Reason.MANUAL, req.reason());
    assertEquals("scratch", req.baseModel().label());

    ModelTrained trained =
        Await.until(
                () ->
                    kafka
                        .events(EventTypes.MODEL_TRAINED, t -> t.requestId().equals(requestId))
                        .stream()
                        .findFirst()
                        .orElse(null),
                Duration.ofSeconds(120),
                "model-trained of " + requestId)
            .data();
    assertTrue(trained.succeeded(), () -> trained.outcome().reason());
    assertEquals(runId, trained.runId(), "the run id the API answered is the one trained");
    assertEquals(10, trained.metrics().steps());
    given().get("/runs/{id}", runId).then().statusCode(200).body("status", equalTo("succeeded"));
  }
}
