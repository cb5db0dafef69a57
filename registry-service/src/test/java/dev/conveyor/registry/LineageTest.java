package dev.conveyor.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.storage.Digests;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
    value = LocalStackResource.class,
    initArgs = @ResourceArg(name = "database", value = "registry"))
class LineageTest extends RegistryTestBase {

  @Test
  void aVersionsFullLineageAfterTheFlow() {
    Flow f = flow("lineage");
    String run = run(f, 1);
    f.publish(f.dataArrived(1));
    f.publish(f.trainRequested("req-" + f.model, 1));
    f.progress(run, 6).forEach(f::publish);
    ArtifactRef a = f.train(run, "req-" + f.model, 1);
    f.publish(f.evaluated("eval-" + f.model, run, ModelEvaluated.Verdict.PASSED, 1));

    JsonPath champ = championIs(f.model, 1);
    String copy = store.uri("models/" + f.model + "/1/model.tar.gz");
    assertEquals(copy, champ.getString("artifact.uri"));
    assertEquals(a.digest(), champ.getString("artifact.digest"));
    assertEquals(a.sizeBytes(), champ.getLong("artifact.sizeBytes"));
    assertEquals(f.datasetRef(1).digest(), champ.getString("datasetDigest"));
    assertEquals("gate", champ.getString("reason"));

    // every object of the run was copied server-side, and the copy is byte-identical
    assertEquals(a.digest(), Digests.of(store.get("models/" + f.model + "/1/model.tar.gz")));
    assertTrue(store.exists("models/" + f.model + "/1/card.json"));

    JsonPath l =
        Await.until(
            () -> {
              JsonPath p = lineage(f.model, 1);
              // the topics are consumed independently: wait until every one has been handled
              return p.getList("run.lossCurve").size() == 6
                      && p.get("trainRequest") != null
                      && p.get("dataset") != null
                  ? p
                  : null;
            },
            "lineage with dataset, request and the whole loss curve");
    assertEquals("registered", l.getString("version.status"));
    assertEquals(run, l.getString("version.runId"));
    assertEquals(a.uri(), l.getString("version.sourceUri"));
    assertTrue(l.getBoolean("version.champion"));
    assertEquals(f.dataset, l.getString("dataset.name"));
    assertEquals(1840, l.getInt("dataset.train"));
    assertEquals(f.datasetRef(1).digest(), l.getString("dataset.manifestDigest"));
    assertEquals("req-" + f.model, l.getString("trainRequest.requestId"));
    assertEquals("new-data", l.getString("trainRequest.reason"));
    assertEquals(run, l.getString("run.runId"));
    assertEquals("succeeded", l.getString("run.status"));
    assertEquals(0.412, l.getDouble("run.finalLoss"), 1e-9);
    assertEquals(100, l.getLong("run.lossCurve[0].step"));
    assertNull(l.get("baseModel"));
    assertEquals(1, l.getList("evaluations").size());
    assertEquals("eval-" + f.model, l.getString("evaluations[0].evaluationId"));
    assertEquals("promoted", l.getString("evaluations[0].decision"));
    assertEquals(1, l.getLong("evaluations[0].candidateVersion"));
    assertEquals(0.001, l.getDouble("evaluations[0].pValue"), 1e-12);
    assertEquals(1, l.getList("aliasMoves").size());
    assertEquals("gate", l.getString("aliasMoves[0].reason"));
    assertEquals("eval-" + f.model, l.getString("aliasMoves[0].evaluationId"));
    assertNull(l.get("aliasMoves[0].fromVersion"));

    // exactly one model-promoted, with the alias move's id and what serving needs
    String eventId = l.getString("aliasMoves[0].eventId");
    var records =
        Await.until(() -> promoted(f.model).isEmpty() ? null : promoted(f.model), "model-promoted");
    assertEquals(1, records.size());
    var r = records.get(0);
    assertEquals(eventId, TestKafka.header(r, "ce_id"));
    assertEquals("/conveyor/registry-service", TestKafka.header(r, "ce_source"));
    assertEquals(EventTypes.MODEL_PROMOTED.ceType(), TestKafka.header(r, "ce_type"));
    assertEquals(f.model + ":1", TestKafka.header(r, "ce_modelversion"));
    assertEquals(run, TestKafka.header(r, "ce_runid"));
    ModelPromoted p = EventCodec.decode(EventTypes.MODEL_PROMOTED, r.value());
    assertEquals(1, p.version());
    assertNull(p.previousVersion());
    assertEquals(ModelPromoted.Reason.GATE, p.reason());
    assertEquals(new ArtifactRef(copy, a.digest(), a.sizeBytes()), p.artifact());
    assertEquals(f.datasetRef(1).digest(), p.datasetDigest());
    assertEquals("eval-" + f.model, p.evaluationId());
  }

  @Test
  void championChecksAndFailedGatesAreLineageOnly() {
    Flow f = flow("checks");
    f.train(run(f, 1), "req-1", 1);
    f.publish(f.evaluated("e1-" + f.model, run(f, 1), ModelEvaluated.Verdict.PASSED, 1));
    championIs(f.model, 1);
    f.train(run(f, 2), "req-2", 1);
    versionWithStatus(f.model, 2, "registered");
    f.publish(f.championCheck("cc-" + f.model, 1, 2));
    f.publish(f.evaluated("e2-" + f.model, run(f, 2), ModelEvaluated.Verdict.FAILED, 1));
    JsonPath l =
        Await.until(
            () -> {
              JsonPath p = lineage(f.model, 2);
              return p.getList("evaluations").size() == 1 ? p : null;
            },
            "failed gate in v2's lineage");
    assertEquals("recorded", l.getString("evaluations[0].decision"));
    JsonPath l1 =
        Await.until(
            () -> {
              JsonPath p = lineage(f.model, 1);
              return p.getList("evaluations").size() == 2 ? p : null;
            },
            "champion check in v1's lineage");
    List<String> kinds = l1.getList("evaluations.kind");
    assertEquals(List.of("candidate", "champion-check"), kinds);
    assertEquals(1, champion(f.model).getLong("version"));
    assertEquals(1, history(f.model).size());
    assertNotNull(l1.getString("evaluations[1].decisionReason"));
  }
}
