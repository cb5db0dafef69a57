package dev.conveyor.evaluator.service;

import dev.conveyor.evaluator.config.GatePolicy;
import dev.conveyor.evaluator.service.ScoringService.Generated;
import dev.conveyor.evaluator.service.ScoringService.Scores;
import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.model.LanguageModel;
import dev.conveyor.storage.dataset.DatasetRecord;
import dev.conveyor.storage.dataset.DatasetView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * What the gate and the retrain policy share: a dataset version's held-out prompt/completion pairs,
 * greedy generation for them with a verified artifact, scoring, and the report of the outcome.
 */
@ApplicationScoped
public class HeldOutScoring {
  private final TestSet testSet;
  private final ArtifactLoader loader;
  private final ScoringService scoring;
  private final ReportWriter reports;

  public HeldOutScoring(
      TestSet testSet, ArtifactLoader loader, ScoringService scoring, ReportWriter reports) {
    this.testSet = testSet;
    this.loader = loader;
    this.scoring = scoring;
    this.reports = reports;
  }

  /** The verified test view of {@code ref} and its prompt/completion pairs. */
  public Examples examples(DatasetRef ref) {
    DatasetView view = testSet.view(ref);
    return new Examples(ref, view, TestSet.qaTest(view));
  }

  /**
   * Loads {@code artifact} (digests verified) and completes every prompt of {@code test}.
   *
   * @throws ArtifactRejectedException when the artifact is missing, corrupt or not loadable
   */
  public Generated generate(ArtifactRef artifact, Examples test, GatePolicy policy) {
    try (LanguageModel model = loader.load(artifact)) {
      return scoring.generate(model, test.prompts(), policy.batchSize(), policy.maxNewTokens());
    }
  }

  /**
   * Corpus BLEU, the paired bootstrap and sentence BLEU of the outputs (either may be null, not
   * both) against the references of {@code test}.
   */
  public Scores score(Examples test, Generated candidate, Generated champion, GatePolicy policy) {
    return scoring.score(
        test.references(),
        candidate == null ? null : candidate.outputs(),
        champion == null ? null : champion.outputs(),
        policy.bootstrapSamples(),
        policy.seed(),
        policy.deltaConfidence());
  }

  /** Writes the report of {@code result}: every example with each output and its sentence BLEU. */
  public void report(
      ModelEvaluated result,
      Examples test,
      Generated candidate,
      Generated champion,
      Scores scores,
      GatePolicy policy,
      long startedMillis) {
    List<ReportWriter.Example> rows = new ArrayList<>(test.size());
    for (int i = 0; i < test.size(); i++) {
      DatasetRecord r = test.records().get(i);
      rows.add(
          new ReportWriter.Example(
              r.id(),
              r.prompt(),
              r.completion(),
              candidate == null ? null : candidate.outputs().get(i),
              candidate == null ? null : scores.candidateSentences().get(i),
              champion == null ? null : champion.outputs().get(i),
              champion == null ? null : scores.championSentences().get(i)));
    }
    long generation =
        (candidate == null ? 0 : candidate.millis()) + (champion == null ? 0 : champion.millis());
    reports.write(
        result,
        rows,
        new ReportWriter.Timings(
            generation, scores.millis(), System.currentTimeMillis() - startedMillis),
        policy.deltaConfidence());
  }

  /** Writes the report of an evaluation that scored nothing. */
  public void reportUnscored(ModelEvaluated result, GatePolicy policy) {
    reports.write(result, List.of(), new ReportWriter.Timings(0, 0, 0), policy.deltaConfidence());
  }

  /** The URI the report of {@code evaluationId} gets. */
  public String reportUri(String model, String evaluationId) {
    return reports.uri(model, evaluationId);
  }

  /** The signature scores of this policy carry (for results that scored nothing). */
  public String signature(GatePolicy policy) {
    return scoring.signature(policy);
  }

  /** The held-out prompt/completion pairs of one dataset version, in order. */
  public record Examples(DatasetRef ref, DatasetView view, List<DatasetRecord> records) {
    public List<String> prompts() {
      return records.stream().map(DatasetRecord::prompt).toList();
    }

    public List<String> references() {
      return records.stream().map(DatasetRecord::completion).toList();
    }

    public int size() {
      return records.size();
    }

    public boolean isEmpty() {
      return records.isEmpty();
    }

    /** "dataset qa v3 has no prompt/completion test examples". */
    public String noExamplesReason() {
      return "dataset "
          + ref.name()
          + " v"
          + ref.version()
          + " has no prompt/completion test examples";
    }
  }
}
