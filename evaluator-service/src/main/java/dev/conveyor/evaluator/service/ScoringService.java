package dev.conveyor.evaluator.service;

import dev.conveyor.bleu.Bleu;
import dev.conveyor.bleu.BleuScore;
import dev.conveyor.bleu.ConfidenceInterval;
import dev.conveyor.bleu.PairedBootstrap;
import dev.conveyor.bleu.PairedResult;
import dev.conveyor.bleu.SystemResult;
import dev.conveyor.evaluator.config.GatePolicy;
import dev.conveyor.events.ModelEvaluated.Interval;
import dev.conveyor.model.LanguageModel;
import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.GenerationOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Generation and scoring, delegated to the model and bleu modules: greedy batched completions,
 * sacreBLEU corpus BLEU with the paired bootstrap, and sentence BLEU per example for the report.
 */
@ApplicationScoped
public class ScoringService {
  static final String CANDIDATE = "candidate";
  private final Bleu bleu = Bleu.defaults();
  private final Timer generationTimer;
  private final Timer bleuTimer;

  public ScoringService(MeterRegistry registry) {
    this.generationTimer =
        Timer.builder("conveyor.evaluator.generation")
            .description("Greedy generation over a test split, per model")
            .register(registry);
    this.bleuTimer =
        Timer.builder("conveyor.evaluator.bleu")
            .description("Corpus BLEU, paired bootstrap and sentence BLEU of one evaluation")
            .register(registry);
  }

  /** Greedy completions of {@code prompts}, in order, batched by similar prompt length. */
  public Generated generate(
      LanguageModel model, List<String> prompts, int batchSize, int maxTokens) {
    long start = System.nanoTime();
    GenerationOptions options = GenerationOptions.greedy(maxTokens);
    // similar lengths in one batch waste less padding; greedy output does not depend on the batch
    Integer[] order = new Integer[prompts.size()];
    int[] lengths = new int[prompts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      lengths[i] = prompts.get(i).length();
    }
    Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
    String[] out = new String[prompts.size()];
    for (int from = 0; from < order.length; from += batchSize) {
      int to = Math.min(order.length, from + batchSize);
      List<String> batch = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        batch.add(prompts.get(order[k]));
      }
      List<Completion> done = model.complete(batch, options);
      for (int k = from; k < to; k++) {
        out[order[k]] = done.get(k - from).text();
      }
    }
    long nanos = System.nanoTime() - start;
    generationTimer.record(nanos, TimeUnit.NANOSECONDS);
    return new Generated(List.of(out), nanos / 1_000_000);
  }

  /**
   * Scores one or two systems against the references: corpus BLEU, bootstrap interval of each, the
   * paired p-value of the candidate against the champion and the percentile interval of their
   * difference, and sentence BLEU per example.
   *
   * @param candidate the system under test (may be null for a champion check)
   * @param champion the baseline (may be null when there is no champion)
   * @param confidence level of the interval of the difference, e.g. 0.95
   */
  public Scores score(
      List<String> references,
      List<String> candidate,
      List<String> champion,
      int samples,
      long seed,
      double confidence) {
    if (candidate == null && champion == null) {
      throw new IllegalArgumentException("nothing to score");
    }
    long start = System.nanoTime();
    List<List<String>> refs = List.of(references);
    List<String> baseline = champion != null ? champion : candidate;
    Map<String, List<String>> systems = new LinkedHashMap<>();
    // the bleu module's bootstrap needs a compared system; scoring one model alone, it is compared
    // with itself and only the baseline's interval is used
    systems.put(CANDIDATE, candidate != null && champion != null ? candidate : baseline);
    PairedResult paired =
        PairedBootstrap.run(bleu, baseline, systems, refs, samples, seed, confidence);
    boolean pairedRun = candidate != null && champion != null;
    SystemResult cand =
        candidate == null
            ? null
            : champion == null ? paired.baseline() : paired.systems().get(CANDIDATE);
    SystemResult champ = champion == null ? null : paired.baseline();
    List<Double> candSentences = candidate == null ? null : sentences(candidate, refs);
    List<Double> champSentences = champion == null ? null : sentences(champion, refs);
    long nanos = System.nanoTime() - start;
    bleuTimer.record(nanos, TimeUnit.NANOSECONDS);
    ConfidenceInterval diff = pairedRun ? cand.deltaCi() : null;
    return new Scores(
        paired.signature().format(),
        cand == null ? null : new Scored(cand.score(), interval(cand)),
        champ == null ? null : new Scored(champ.score(), interval(champ)),
        pairedRun ? cand.pValue() : null,
        diff == null ? null : new Interval(diff.low(), diff.high()),
        candSentences,
        champSentences,
        nanos / 1_000_000);
  }

  /** The signature scores of this policy carry (for results that scored nothing). */
  public String signature(GatePolicy policy) {
    return bleu.signature(1)
        .withTest(policy.bootstrapSamples(), null, Long.toString(policy.seed()))
        .format();
  }

  private List<Double> sentences(List<String> hyps, List<List<String>> refs) {
    List<BleuScore> scores = bleu.sentenceScores(hyps, refs);
    List<Double> out = new ArrayList<>(scores.size());
    scores.forEach(s -> out.add(s.score()));
    return out;
  }

  private static Interval interval(SystemResult r) {
    if (r.mean() == null || r.ci() == null) {
      return null;
    }
    return new Interval(r.mean() - r.ci(), r.mean() + r.ci());
  }

  /** Completions of one model and how long they took. */
  public record Generated(List<String> outputs, long millis) {}

  /** Corpus BLEU of one system and its bootstrap 95% interval (mean ± half-width). */
  public record Scored(double bleu, Interval interval) {}

  /**
   * Everything the bleu module said about one evaluation; {@code pValue} and {@code deltaInterval}
   * (candidate − champion, over the same resamples) only when both were scored.
   */
  public record Scores(
      String signature,
      Scored candidate,
      Scored champion,
      Double pValue,
      Interval deltaInterval,
      List<Double> candidateSentences,
      List<Double> championSentences,
      long millis) {}
}
