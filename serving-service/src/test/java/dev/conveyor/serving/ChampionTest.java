package dev.conveyor.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.ArtifactRef;
import dev.conveyor.serving.registry.Champion;
import org.junit.jupiter.api.Test;

/** The registry's champion answer (its {@code Views.Champion}) reads into what serving loads. */
class ChampionTest {

  @Test
  void readsTheRegistrysChampionShape() throws Exception {
    String json =
        """
        {"model":"qa","version":3,"runId":"run-5d1c9e",
         "artifact":{"uri":"s3://conveyor/models/qa/3/model.zip","digest":"sha256:abc","sizeBytes":1234},
         "datasetDigest":"sha256:feed","reason":"gate","actor":"registry-service",
         "evaluationId":"eval-1","since":"2026-11-25T02:09:41Z"}
        """;
    Champion c = new ObjectMapper().readValue(json, Champion.class);
    assertEquals("qa", c.modelName());
    assertEquals(3L, c.version());
    assertEquals(
        new ArtifactRef("s3://conveyor/models/qa/3/model.zip", "sha256:abc", 1234),
        c.artifactRef());
    assertEquals("sha256:feed", c.datasetDigest());
  }
}
