package dev.conveyor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run interrupted at any point and resumed from its last checkpoint reproduces the loss curve of
 * an uninterrupted run. Dropout is on so that the RNG state matters.
 */
class ResumeTest {

  static final int STEPS = 24;
  static List<Example> data;
  static ModelConfig config;
  static TrainingConfig training;
  static List<Double> reference;
  static Path tokenizerFile;

  @BeforeAll
  static void uninterrupted(@TempDir Path dir) throws Exception {
    data = TinyTask.examples(300, 11, Set.of());
    try (TextTokenizer tok = TinyTask.tokenizer(dir)) {
      tokenizerFile = dir.resolve("tok.json");
      config = new ModelConfig(tok.vocabSize(), 16, 2, 2, 32, 0.1);
      training =
          TinyTask.training(STEPS).toBuilder().setBatchSize(8).setCheckpointInterval(5).build();
      try (GptTrainer t = GptTrainer.fromScratch(config, tok, training)) {
        reference = t.train(data, p -> {}, () -> false).losses();
      }
    }
    assertEquals(STEPS, reference.size());
  }

  @Test
  void crashAfterACheckpointThenResumeMatchesUninterruptedRun(@TempDir Path ckpt) throws Exception {
    try (TextTokenizer tok = TextTokenizer.load(tokenizerFile);
        GptTrainer t = GptTrainer.fromScratch(config, tok, training)) {
      t.setCheckpointDirectory(ckpt);
      RuntimeException crash = new RuntimeException("simulated kill");
      // dies at step 13: checkpoints exist for steps 5 and 10 only
      assertThrows(
          RuntimeException.class,
          () ->
              t.train(
                  data,
                  p -> {
                    if (p.step() == 13) {
                      throw crash;
                    }
                  },
                  () -> false));
    }
    assertTrue(Files.isDirectory(ckpt.resolve("step-00000010")));
    try (GptTrainer resumed = GptTrainer.resume(ckpt)) {
      assertEquals(10, resumed.step());
      List<Double> losses = resumed.train(data, p -> {}, () -> false).losses();
      assertCurvesMatch(reference, losses);
    }
  }

  @Test
  void cancelWritesACheckpointAndResumeMatches(@TempDir Path ckpt) throws Exception {
    try (TextTokenizer tok = TextTokenizer.load(tokenizerFile);
        GptTrainer t = GptTrainer.fromScratch(config, tok, training)) {
      t.setCheckpointDirectory(ckpt);
      int[] calls = {0};
      assertThrows(
          CancellationException.class, () -> t.train(data, p -> {}, () -> calls[0]++ == 7));
    }
    try (GptTrainer resumed = GptTrainer.resume(ckpt)) {
      assertEquals(7, resumed.step());
      assertCurvesMatch(reference, resumed.train(data, p -> {}, () -> false).losses());
    }
  }

  @Test
  void resumeRefusesDifferentData(@TempDir Path ckpt) throws Exception {
    try (TextTokenizer tok = TextTokenizer.load(tokenizerFile);
        GptTrainer t = GptTrainer.fromScratch(config, tok, training)) {
      t.setCheckpointDirectory(ckpt);
      assertThrows(CancellationException.class, () -> t.train(data, p -> {}, () -> t.step() == 5));
    }
    try (GptTrainer resumed = GptTrainer.resume(ckpt)) {
      List<Example> other = TinyTask.examples(300, 99, Set.of());
      assertThrows(
          IllegalArgumentException.class, () -> resumed.train(other, p -> {}, () -> false));
    }
  }

  /**
   * Same ops on the same inputs with the same thread count are deterministic in libtorch on CPU, so
   * the curves are expected to be identical; 1e-6 only absorbs float printing noise.
   */
  static void assertCurvesMatch(List<Double> expected, List<Double> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), 1e-6, "loss at step " + (i + 1));
    }
  }
}
