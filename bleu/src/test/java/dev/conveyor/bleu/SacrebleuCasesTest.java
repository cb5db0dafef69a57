package dev.conveyor.bleu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every stored sacreBLEU vector: the shared reference cases and our own generated ones ({@code
 * src/test/python/gen_vectors.py}). Scores to 1e-9 relative, signatures exactly.
 */
class SacrebleuCasesTest {
  /**
   * Paired tests replay numpy's exact random draws, so the only differences left are last-bit ones
   * between libm and StrictMath in log/exp; 1e-9 is far inside sacreBLEU's own seed-to-seed spread
   * (about 1e-2 on p-values and 1e-1 on means for a few hundred segments).
   */
  static final double PAIRED_TOLERANCE = 1e-9;

  @TestFactory
  Stream<DynamicTest> sharedCorpusCases() {
    return scoreCases("/cases/corpus.jsonl", 23);
  }

  @TestFactory
  Stream<DynamicTest> sharedSentenceCases() {
    return scoreCases("/cases/sentence.jsonl", 132);
  }

  @TestFactory
  Stream<DynamicTest> sharedBootstrapCases() {
    return pairedCases("/cases/bootstrap.jsonl", 3);
  }

  @TestFactory
  Stream<DynamicTest> generatedCorpusCases() {
    return scoreCases("/vectors/corpus.jsonl", 200);
  }

  @TestFactory
  Stream<DynamicTest> generatedSentenceCases() {
    return scoreCases("/vectors/sentence.jsonl", 1000);
  }

  @TestFactory
  Stream<DynamicTest> generatedPairedCases() {
    return pairedCases("/vectors/paired.jsonl", 9);
  }

  private static Stream<DynamicTest> scoreCases(String resource, int atLeast) {
    List<JsonNode> cases = Vectors.load(resource);
    assertTrue(cases.size() >= atLeast, resource + " has only " + cases.size() + " cases");
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.path("id").asText(), () -> Vectors.checkScoreCase(c)));
  }

  private static Stream<DynamicTest> pairedCases(String resource, int atLeast) {
    List<JsonNode> cases = Vectors.load(resource);
    assertTrue(cases.size() >= atLeast, resource + " has only " + cases.size() + " cases");
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("id").asText(), () -> Vectors.checkPairedCase(c, PAIRED_TOLERANCE)));
  }
}
