package dev.conveyor.benchmarks.evaluator;

import dev.conveyor.evaluator.service.ScoringService;
import dev.conveyor.model.LanguageModel;
import dev.conveyor.model.artifact.ArtifactInfo;
import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Times one promotion-gate evaluation on a 2k-example test split with the evaluator's own
 * ScoringService (the class the service runs): greedy batched generation of a candidate and a
 * champion (default-size models from the model module), then corpus BLEU, the 1000-resample paired
 * bootstrap and sentence BLEU of every example. Prints one RESULT line of JSON per repetition.
 *
 * <p>Args: --examples N (2000) --steps S (candidate training steps, 120) --batch B (32)
 * --max-tokens T (64) --reps R (3).
 */
public final class EvaluationBenchmark {
  private EvaluationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int examples = arg(args, "--examples", 2000);
    int steps = arg(args, "--steps", 120);
    int batch = arg(args, "--batch", 32);
    int maxTokens = arg(args, "--max-tokens", 64);
    int reps = arg(args, "--reps", 3);
    Path dir = Files.createTempDirectory("evaluator-bench");
    List<Example> train = task(4000, 1, Set.of());
    Set<String> seen = new HashSet<>();
    train.forEach(e -> seen.add(e.prompt()));
    List<Example> test = task(examples, 2, seen);
    List<String> prompts = test.stream().map(Example::prompt).toList();
    List<String> refs = test.stream().map(Example::completion).toList();

    Path candidate = train(dir, "candidate", train, steps);
    Path champion = train(dir, "champion", train, Math.max(1, steps / 3));
    ScoringService scoring = new ScoringService(new SimpleMeterRegistry());
    try (LanguageModel cand = LanguageModel.load(candidate);
        LanguageModel champ = LanguageModel.load(champion)) {
      System.err.printf(
          "model: %s, %d parameters%n", cand.config(), cand.config().parameterCount());
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        ScoringService.Generated c = scoring.generate(cand, prompts, batch, maxTokens);
        ScoringService.Generated b = scoring.generate(champ, prompts, batch, maxTokens);
        long t1 = System.nanoTime();
        ScoringService.Scores s = scoring.score(refs, c.outputs(), b.outputs(), 1000, 12345, 0.95);
        long t2 = System.nanoTime();
        long genTokens = 0;
        for (String o : c.outputs()) {
          genTokens += cand.tokenizer().encode(o).length;
        }
        for (String o : b.outputs()) {
          genTokens += champ.tokenizer().encode(o).length;
        }
        double gen = (t1 - t0) / 1e6;
        double bleu = (t2 - t1) / 1e6;
        System.out.printf(
            Locale.ROOT,
            "RESULT {\"rep\":%d,\"examples\":%d,\"generationMs\":%.1f,\"bleuMs\":%.1f,"
                + "\"bleuShare\":%.5f,\"generatedTokens\":%d,\"candidateBleu\":%.2f,"
                + "\"championBleu\":%.2f,\"pValue\":%.4f,\"batch\":%d,\"maxTokens\":%d,"
                + "\"params\":%d}%n",
            r + 1,
            examples,
            gen,
            bleu,
            bleu / (gen + bleu),
            genTokens,
            s.candidate().bleu(),
            s.champion().bleu(),
            s.pValue(),
            batch,
            maxTokens,
            cand.config().parameterCount());
      }
    }
  }

  /** Eight spaced digits, each plus one: completions of 15 characters, 4-grams for BLEU. */
  static List<Example> task(int n, long seed, Set<String> exclude) {
    Random r = new Random(seed);
    List<Example> out = new ArrayList<>();
    Set<String> seen = new HashSet<>(exclude);
    while (out.size() < n) {
      StringBuilder p = new StringBuilder();
      StringBuilder c = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        int d = r.nextInt(10);
        if (i > 0) {
          p.append(' ');
          c.append(' ');
        }
        p.append(d);
        c.append((d + 1) % 10);
      }
      if (seen.add(p.toString())) {
        out.add(Example.pair(p.toString(), c.toString()));
      }
    }
    return out;
  }

  static Path train(Path dir, String name, List<Example> data, int steps) throws Exception {
    TrainingConfig tc =
        TrainingConfig.builder()
            .setSteps(steps)
            .setBatchSize(16)
            .setSequenceLength(48)
            .setLearningRate(2e-3)
            .setWarmupSteps(Math.min(20, steps / 2))
            .setSeed(7)
            .build();
    try (TextTokenizer tok =
            TextTokenizer.train(
                List.of("0123456789 "),
                dev.conveyor.model.tokenizer.BpeTrainer.baseVocabSize(),
                dir.resolve(name + "-tok.json"));
        GptTrainer t = GptTrainer.fromScratch(ModelConfig.defaults(tok.vocabSize()), tok, tc)) {
      long start = System.nanoTime();
      t.train(data, p -> {}, () -> false);
      System.err.printf(
          "trained %s: %d steps in %.1f s%n", name, steps, (System.nanoTime() - start) / 1e9);
      Path out = dir.resolve(name);
      t.exportArtifact(out, ArtifactInfo.of(name, "sha256:bench"));
      return out;
    }
  }

  private static int arg(String[] args, String name, int def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return def;
  }
}
