package dev.conveyor.model;

import dev.conveyor.model.artifact.ArtifactInfo;
import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.BpeTrainer;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import dev.conveyor.model.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The synthetic task of the tests: the prompt is 4 random digits, the completion adds 1 (mod 10) to
 * each digit ("3179" -> "4280"). It needs attention to the right earlier position plus a lookup,
 * and held-out prompts are unseen digit strings. The model is trained once per JVM and shared.
 */
final class TinyTask {

  static final int TRAIN_EXAMPLES = 2000;

  private static Path artifact;
  private static TrainingResult result;
  private static List<Example> heldOut;

  private TinyTask() {}

  static String prompt(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    return sb.toString();
  }

  static String answer(String prompt) {
    StringBuilder sb = new StringBuilder();
    for (char c : prompt.toCharArray()) {
      sb.append((char) ('0' + (c - '0' + 1) % 10));
    }
    return sb.toString();
  }

  static List<Example> examples(int n, long seed, java.util.Set<String> exclude) {
    Random r = new Random(seed);
    List<Example> out = new ArrayList<>();
    while (out.size() < n) {
      String p = prompt(r);
      if (!exclude.contains(p)) {
        out.add(Example.pair(p, answer(p)));
      }
    }
    return out;
  }

  /** A byte-level tokenizer (no merges): digits are single tokens. */
  static TextTokenizer tokenizer(Path dir) throws IOException {
    return TextTokenizer.train(
        List.of("0123456789"), BpeTrainer.baseVocabSize(), dir.resolve("tok.json"));
  }

  static ModelConfig config(int vocab) {
    return new ModelConfig(vocab, 32, 2, 4, 64, 0.0);
  }

  static TrainingConfig training(int steps) {
    return TrainingConfig.builder()
        .setSteps(steps)
        .setBatchSize(32)
        .setSequenceLength(16)
        .setLearningRate(3e-3)
        .setMinLearningRate(3e-4)
        .setWarmupSteps(20)
        .setWeightDecay(0.01)
        .setSeed(7)
        .build();
  }

  /** Trains (once) and exports the shared tiny artifact. */
  static synchronized Path trainedArtifact() throws IOException {
    if (artifact == null) {
      Path dir = Files.createTempDirectory("tiny-task");
      List<Example> train = examples(TRAIN_EXAMPLES, 1, java.util.Set.of());
      java.util.Set<String> seen = new java.util.HashSet<>();
      train.forEach(e -> seen.add(e.prompt()));
      heldOut = examples(40, 2, seen);
      try (TextTokenizer tok = tokenizer(dir);
          GptTrainer t = GptTrainer.fromScratch(config(tok.vocabSize()), tok, training(250))) {
        result = t.train(train, p -> {}, () -> false);
        artifact = dir.resolve("artifact");
        t.exportArtifact(
            artifact, ArtifactInfo.of("tiny-task", "synthetic-add-one").withDataset("add-one", 7));
      }
    }
    return artifact;
  }

  static TrainingResult result() throws IOException {
    trainedArtifact();
    return result;
  }

  static List<Example> heldOut() throws IOException {
    trainedArtifact();
    return heldOut;
  }
}
