package dev.conveyor.evaluator;

import dev.conveyor.model.artifact.Archives;
import dev.conveyor.model.artifact.ArtifactInfo;
import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.BpeTrainer;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Real tiny models for the tests, made with the model module: the task maps four spaced digits to
 * each digit plus one ("3 1 7 9" -> "4 2 8 0"), so BLEU has 4-grams to count. The weak model is
 * trained a few steps, the strong one enough to generalise to held-out prompts. Trained once per
 * JVM.
 */
final class TinyModels {
  static final int WEAK_STEPS = 15;
  static final int STRONG_STEPS = 150;
  private static Path weak;
  private static Path strong;

  private TinyModels() {}

  static String prompt(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append((char) ('0' + r.nextInt(10)));
    }
    return sb.toString();
  }

  /** The task's answer, shifting each digit by {@code shift} (mod 10). */
  static String answer(String prompt, int shift) {
    StringBuilder sb = new StringBuilder();
    for (char c : prompt.toCharArray()) {
      sb.append(c == ' ' ? ' ' : (char) ('0' + (c - '0' + shift + 10) % 10));
    }
    return sb.toString();
  }

  /** {@code n} distinct examples of the task with {@code shift}, avoiding {@code exclude}. */
  static List<Example> examples(int n, long seed, int shift, Set<String> exclude) {
    Random r = new Random(seed);
    List<Example> out = new ArrayList<>();
    Set<String> seen = new HashSet<>(exclude);
    while (out.size() < n) {
      String p = prompt(r);
      if (seen.add(p)) {
        out.add(Example.pair(p, answer(p, shift)));
      }
    }
    return out;
  }

  static final List<Example> TRAIN = examples(800, 1, 1, Set.of());
  static final List<Example> TEST = examples(60, 2, 1, prompts(TRAIN));

  static Set<String> prompts(List<Example> xs) {
    Set<String> s = new HashSet<>();
    xs.forEach(e -> s.add(e.prompt()));
    return s;
  }

  static synchronized Path weakArchive() throws IOException {
    if (weak == null) {
      weak = train(WEAK_STEPS);
    }
    return weak;
  }

  static synchronized Path strongArchive() throws IOException {
    if (strong == null) {
      strong = train(STRONG_STEPS);
    }
    return strong;
  }

  private static Path train(int steps) throws IOException {
    Path dir = Files.createTempDirectory("evaluator-tiny-" + steps);
    TrainingConfig tc =
        TrainingConfig.builder()
            .setSteps(steps)
            .setBatchSize(32)
            .setSequenceLength(24)
            .setLearningRate(3e-3)
            .setMinLearningRate(3e-4)
            .setWarmupSteps(Math.min(20, steps / 2))
            .setWeightDecay(0.01)
            .setSeed(7)
            .build();
    try (TextTokenizer tok =
            TextTokenizer.train(
                List.of("0123456789 "), BpeTrainer.baseVocabSize(), dir.resolve("tok.json"));
        GptTrainer t =
            GptTrainer.fromScratch(new ModelConfig(tok.vocabSize(), 32, 2, 4, 64, 0.0), tok, tc)) {
      t.train(TRAIN, p -> {}, () -> false);
      Path artifact = dir.resolve("artifact");
      t.exportArtifact(artifact, ArtifactInfo.of("tiny-add-one-" + steps, "sha256:test"));
      Path zip = dir.resolve("model.zip");
      Archives.pack(artifact, zip);
      return zip;
    }
  }
}
