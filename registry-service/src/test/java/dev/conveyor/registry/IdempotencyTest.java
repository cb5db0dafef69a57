package dev.conveyor.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
    value = LocalStackResource.class,
    initArgs = @ResourceArg(name = "database", value = "registry"))
class IdempotencyTest extends RegistryTestBase {

  @Test
  void aDuplicateAndAReplayedEvaluationPromoteOnce() {
    Flow f = flow("dup");
    f.train(run(f, 1), "req-1", 1);
    versionWithStatus(f.model, 1, "registered");

    ModelEvaluated ev = f.evaluated("e1-" + f.model, run(f, 1), ModelEvaluated.Verdict.PASSED, 1);
    CloudEventMeta meta = f.publish(ev);
    f.publish(ev, meta); // replayed: the very same event (same ce_id)
    f.publish(ev); // duplicate: same evaluation, new ce_id
    // a later evaluation on the same partition proves the three above were handled
    f.publish(f.evaluated("sentinel-" + f.model, run(f, 1), ModelEvaluated.Verdict.FAILED, 1));
    Await.until(() -> lineage(f.model, 1).getList("evaluations").size() == 2, "sentinel recorded");

    championIs(f.model, 1);
    assertEquals(1, history(f.model).size());
    Await.until(() -> promoted(f.model).size() == 1, "one model-promoted");

    // replayed again once a newer champion exists: still nothing
    f.train(run(f, 2), "req-2", 1);
    f.publish(f.evaluated("e2-" + f.model, run(f, 2), ModelEvaluated.Verdict.PASSED, 1));
    championIs(f.model, 2);
    f.publish(ev, meta);
    f.publish(f.evaluated("sentinel2-" + f.model, run(f, 1), ModelEvaluated.Verdict.FAILED, 1));
    Await.until(
        () -> lineage(f.model, 1).getList("evaluations").size() == 3, "second sentinel recorded");
    List<Map<String, Object>> h = history(f.model);
    assertEquals(List.of(1, 2), h.stream().map(m -> m.get("toVersion")).toList());
    assertEquals(2, champion(f.model).getLong("version"));
    Await.until(() -> promoted(f.model).size() == 2, "two model-promoted");
    assertEquals(2, promoted(f.model).size());
  }

  @Test
  void anEvaluationThatArrivesBeforeItsRunIsAppliedWhenTheVersionRegisters() {
    Flow f = flow("early");
    f.publish(f.evaluated("e1-" + f.model, run(f, 1), ModelEvaluated.Verdict.PASSED, 1));
    // the evaluation is recorded (and the model known) before model-trained is even published
    Await.until(() -> given().get("/models/{m}", f.model).statusCode() == 200, "model known");
    given().get("/models/{m}/aliases/champion", f.model).then().statusCode(404);

    f.train(run(f, 1), "req-1", 1);
    JsonPath c = championIs(f.model, 1);
    assertEquals("e1-" + f.model, c.getString("evaluationId"));
    JsonPath l = lineage(f.model, 1);
    assertEquals("promoted", l.getString("evaluations[0].decision"));
    assertEquals(1, l.getLong("evaluations[0].candidateVersion"));
  }

  @Test
  void aReplayedModelTrainedRegistersOnce() {
    Flow f = flow("retrained");
    var a = f.upload(run(f, 1));
    var trained = f.trained(run(f, 1), "req-1", 1, a);
    CloudEventMeta meta = f.publish(trained);
    versionWithStatus(f.model, 1, "registered");
    f.publish(trained, meta);
    f.publish(trained);
    f.train(run(f, 2), "req-2", 1);
    versionWithStatus(f.model, 2, "registered");
    assertEquals(
        List.of(run(f, 1), run(f, 2)),
        given().get("/models/{m}/versions", f.model).jsonPath().getList("runId"));
  }
}
