package dev.conveyor.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
    value = LocalStackResource.class,
    initArgs = @ResourceArg(name = "database", value = "registry"))
class DigestMismatchTest extends RegistryTestBase {

  @Test
  void aDigestMismatchIsRejectedAndNeverPromoted() {
    Flow f = flow("corrupt");
    String run = run(f, 1);
    ArtifactRef real = f.upload(run);
    ArtifactRef lie = new ArtifactRef(real.uri(), "sha256:" + "0".repeat(64), real.sizeBytes());
    f.publish(f.trained(run, "req-1", 1, lie));
    f.publish(f.evaluated("e1-" + f.model, run, ModelEvaluated.Verdict.PASSED, 1));

    JsonPath v = versionWithStatus(f.model, 1, "rejected");
    assertTrue(
        v.getString("statusReason").startsWith("digest mismatch: "), v.getString("statusReason"));
    assertTrue(v.getString("statusReason").contains(real.digest()));
    JsonPath l =
        Await.until(
            () -> {
              JsonPath p = lineage(f.model, 1);
              return p.getList("evaluations").size() == 1
                      && !"pending".equals(p.getString("evaluations[0].decision"))
                  ? p
                  : null;
            },
            "the passed evaluation settled");
    assertEquals("not-promoted", l.getString("evaluations[0].decision"));
    assertTrue(l.getString("evaluations[0].decisionReason").contains("rejected"));

    given()
        .get("/models/{m}/aliases/champion", f.model)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404))
        .body("detail", containsString("no champion"));
    given()
        .auth()
        .preemptive()
        .basic(ADMIN, ADMIN_PASSWORD)
        .post("/models/{m}/versions/1/promote", f.model)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("rejected"));
    assertTrue(promoted(f.model).isEmpty());

    // a correct artifact for the next run registers as v2 and the gate promotes it
    f.train(run(f, 2), "req-2", 1);
    f.publish(f.evaluated("e2-" + f.model, run(f, 2), ModelEvaluated.Verdict.PASSED, 1));
    championIs(f.model, 2);
  }

  @Test
  void aMissingArtifactOrASizeMismatchIsRejected() {
    Flow f = flow("missing");
    ArtifactRef ghost =
        new ArtifactRef(
            store.uri("runs/" + run(f, 1) + "/model.tar.gz"), "sha256:" + "1".repeat(64), 10);
    f.publish(f.trained(run(f, 1), "req-1", 1, ghost));
    JsonPath v = versionWithStatus(f.model, 1, "rejected");
    assertTrue(v.getString("statusReason").contains("does not exist"), v.getString("statusReason"));

    ArtifactRef real = f.upload(run(f, 2));
    f.publish(
        f.trained(
            run(f, 2),
            "req-2",
            1,
            new ArtifactRef(real.uri(), real.digest(), real.sizeBytes() + 1)));
    JsonPath v2 = versionWithStatus(f.model, 2, "rejected");
    assertTrue(
        v2.getString("statusReason").startsWith("size mismatch"), v2.getString("statusReason"));

    f.publish(f.failed(run(f, 3), "req-3", 1));
    f.train(run(f, 4), "req-4", 1);
    // a failed run gets no version: the next good one is v3
    assertEquals(run(f, 4), versionWithStatus(f.model, 3, "registered").getString("runId"));
  }
}
