package dev.conveyor.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import dev.conveyor.localstack.testing.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
    value = LocalStackResource.class,
    initArgs = @ResourceArg(name = "database", value = "registry"))
class AliasHistoryTest extends RegistryTestBase {

  /** v1 and v2 registered; v1 promoted by the gate, then v2. */
  private Flow twoPromotedVersions(String prefix) {
    Flow f = flow(prefix);
    f.train(run(f, 1), "req-1", 1);
    versionWithStatus(f.model, 1, "registered");
    f.train(run(f, 2), "req-2", 1);
    f.publish(f.evaluated("e1-" + f.model, run(f, 1), ModelEvaluated.Verdict.PASSED, 1));
    championIs(f.model, 1);
    f.publish(f.evaluated("e2-" + f.model, run(f, 2), ModelEvaluated.Verdict.PASSED, 1));
    championIs(f.model, 2);
    return f;
  }

  @Test
  void historyAfterPromoteRollbackPromote() {
    Flow f = twoPromotedVersions("alias");

    given()
        .auth()
        .preemptive()
        .basic(ADMIN, ADMIN_PASSWORD)
        .post("/models/{m}/aliases/champion/rollback", f.model)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
    assertEquals("rollback", championIs(f.model, 1).getString("reason"));

    given()
        .auth()
        .preemptive()
        .basic(ADMIN, ADMIN_PASSWORD)
        .queryParam("note", "v2 fixed upstream")
        .post("/models/{m}/versions/{v}/promote", f.model, 2)
        .then()
        .statusCode(200);
    assertEquals("manual", championIs(f.model, 2).getString("reason"));

    List<Map<String, Object>> h = history(f.model);
    assertEquals(4, h.size());
    assertEquals(Arrays.asList(null, 1, 2, 1), h.stream().map(m -> m.get("fromVersion")).toList());
    assertEquals(List.of(1, 2, 1, 2), h.stream().map(m -> m.get("toVersion")).toList());
    assertEquals(
        List.of("gate", "gate", "rollback", "manual"),
        h.stream().map(m -> m.get("reason")).toList());
    assertEquals(
        List.of("registry-service", "registry-service", "user:admin", "user:admin"),
        h.stream().map(m -> m.get("actor")).toList());
    assertEquals("e1-" + f.model, h.get(0).get("evaluationId"));
    assertEquals("e2-" + f.model, h.get(1).get("evaluationId"));
    assertEquals("v2 fixed upstream", h.get(3).get("note"));

    // one model-promoted per alias move, in order, each with the move's event id
    List<String> ids = h.stream().map(m -> (String) m.get("eventId")).toList();
    var records =
        Await.until(
            () -> promoted(f.model).size() >= 4 ? promoted(f.model) : null, "4 model-promoted");
    assertEquals(ids, records.stream().map(r -> TestKafka.header(r, "ce_id")).toList());
    assertEquals(
        List.of(f.model + ":1", f.model + ":2", f.model + ":1", f.model + ":2"),
        records.stream().map(r -> TestKafka.header(r, "ce_modelversion")).toList());
  }

  @Test
  void rollbackRequestedMovesBackOnceAndStaleRequestsAreRefused() {
    Flow f = twoPromotedVersions("rollback");
    var request = f.rollbackRequested("rb-" + f.model, 2);
    var meta = f.publish(request);
    assertEquals("serving-service", championIs(f.model, 1).getString("actor"));

    f.publish(request, meta); // replay: same event
    f.publish(request); // duplicate: same request id, new event id
    f.publish(f.rollbackRequested("rb2-" + f.model, 2)); // stale: v2 is no longer champion
    // a later request on the same partition proves the three above were handled
    f.publish(f.rollbackRequested("rb3-" + f.model, 7));
    List<Map<String, Object>> requests =
        Await.until(
            () -> {
              List<Map<String, Object>> r =
                  given().get("/models/{m}/rollback-requests", f.model).jsonPath().getList("$");
              return r.size() == 3 ? r : null;
            },
            "three rollback requests recorded");
    assertEquals(
        List.of("rolled-back", "refused", "refused"),
        requests.stream().map(r -> r.get("outcome")).toList());

    List<Map<String, Object>> h = history(f.model);
    assertEquals(
        List.of("gate", "gate", "rollback"), h.stream().map(m -> m.get("reason")).toList());
    assertEquals("rb-" + f.model, h.get(2).get("rollbackRequest"));
    assertEquals(1, champion(f.model).getLong("version"));

    // a new passed gate for the rolled-back v2 does not bring it back: only a person can
    f.publish(f.evaluated("e3-" + f.model, run(f, 2), ModelEvaluated.Verdict.PASSED, 1));
    var l =
        Await.until(
            () -> {
              var p = lineage(f.model, 2);
              return p.getList("evaluations").size() == 2 ? p : null;
            },
            "e3 in v2's lineage");
    assertEquals("not-promoted", l.getString("evaluations[1].decision"));
    assertEquals(1, champion(f.model).getLong("version"));
    assertEquals(3, Await.until(() -> promoted(f.model).size() == 3, "3 model-promoted") ? 3 : 0);
  }
}
