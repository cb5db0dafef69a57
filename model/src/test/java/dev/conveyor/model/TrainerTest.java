package dev.conveyor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.model.data.Example;
import dev.conveyor.model.data.TokenizedDataset;
import dev.conveyor.model.nn.LoraConfig;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.ConfigHash;
import dev.conveyor.model.train.DivergenceException;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import dev.conveyor.model.train.TrainingProgress;
import dev.conveyor.model.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  static List<Example> corpus() {
    List<Example> docs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      docs.add(Example.text("the cat sat on the mat. the dog sat on the log. " + (i % 7)));
    }
    return docs;
  }

  @Test
  void trainsFromScratchOnACorpusAndReportsProgress(@TempDir Path dir) throws Exception {
    List<String> texts = corpus().stream().map(Example::text).toList();
    try (TextTokenizer tok = TextTokenizer.train(texts, 300, dir.resolve("t.json"))) {
      ModelConfig mc = new ModelConfig(tok.vocabSize(), 32, 1, 2, 32, 0.0);
      TrainingConfig tc =
          TrainingConfig.builder()
              .setSteps(40)
              .setBatchSize(4)
              .setSequenceLength(24)
              .setLearningRate(5e-3)
              .setWarmupSteps(5)
              .build();
      List<TrainingProgress> seen = new ArrayList<>();
      try (GptTrainer t = GptTrainer.fromScratch(mc, tok, tc)) {
        TrainingResult r = t.train(corpus(), seen::add, () -> false);
        assertEquals(40, seen.size());
        TrainingProgress last = seen.get(39);
        assertEquals(40, last.step());
        assertEquals(40, last.totalSteps());
        assertEquals(0, last.eta().toMillis());
        assertTrue(seen.get(0).eta().toMillis() > 0 && last.tokensPerSecond() > 0);
        assertTrue(r.finalLoss() < 0.6 * r.losses().get(0), "loss falls: " + r.losses());
      }
    }
  }

  @Test
  void trainsOnAThreadDjlDidNotStart(@TempDir Path dir) throws Exception {
    java.util.concurrent.atomic.AtomicReference<Object> outcome =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              try (TextTokenizer tok = TinyTask.tokenizer(dir);
                  GptTrainer t =
                      GptTrainer.fromScratch(
                          TinyTask.config(tok.vocabSize()), tok, TinyTask.training(3))) {
                outcome.set(
                    t.train(TinyTask.examples(32, 4, java.util.Set.of()), p -> {}, () -> false));
              } catch (Throwable e) {
                outcome.set(e);
              }
            });
    worker.start();
    worker.join();
    assertTrue(outcome.get() instanceof TrainingResult, String.valueOf(outcome.get()));
  }

  @Test
  void explodingLearningRateRaisesDivergence(@TempDir Path dir) throws Exception {
    try (TextTokenizer tok = TinyTask.tokenizer(dir)) {
      TrainingConfig tc =
          TinyTask.training(200).toBuilder()
              .setLearningRate(50)
              .setMinLearningRate(50)
              .setWarmupSteps(0)
              .setClipNorm(0)
              .build();
      try (GptTrainer t = GptTrainer.fromScratch(TinyTask.config(tok.vocabSize()), tok, tc)) {
        DivergenceException e =
            assertThrows(
                DivergenceException.class,
                () -> t.train(TinyTask.examples(64, 3, java.util.Set.of()), p -> {}, () -> false));
        assertTrue(e.step() >= 1 && e.getMessage().contains("diverged"), e.getMessage());
      }
    }
  }

  @Test
  void completionOnlyLossMasksThePrompt(@TempDir Path dir) throws Exception {
    try (TextTokenizer tok = TinyTask.tokenizer(dir)) {
      TokenizedDataset d =
          TokenizedDataset.build(List.of(Example.pair("12", "345"), Example.text("9")), tok, 16);
      // <|prompt|> 1 2 <|completion|> 3 4 5 <|endoftext|>: targets 3 4 5 <eot> are learned
      assertEquals(List.of(0f, 0f, 0f, 1f, 1f, 1f, 1f), floats(d.samples().get(0).weights()));
      assertEquals(List.of(1f), floats(d.samples().get(1).weights()));
    }
  }

  @Test
  void configHashIsStableAndSensitive() {
    ModelConfig mc = ModelConfig.defaults(1000);
    TrainingConfig a = TrainingConfig.builder().build();
    String h = ConfigHash.of(a, mc);
    assertEquals(h, ConfigHash.of(TrainingConfig.builder().build(), ModelConfig.defaults(1000)));
    assertEquals(
        h, ConfigHash.of(a.toBuilder().setDevice("gpu:0").setCheckpointInterval(9).build(), mc));
    assertNotEquals(h, ConfigHash.of(a.toBuilder().setLearningRate(2e-3).build(), mc));
    assertNotEquals(
        h, ConfigHash.of(a.toBuilder().setLora(new LoraConfig(8, 16, 0.05)).build(), mc));
    assertNotEquals(h, ConfigHash.of(a, mc.withContextLength(128)));
    assertTrue(ConfigHash.canonicalJson(a, mc).startsWith("{\"model\":{\"contextLength\":256,"));
  }

  @Test
  void learningRateWarmsUpThenDecaysToTheFloor() {
    TrainingConfig c =
        TrainingConfig.builder()
            .setSteps(110)
            .setWarmupSteps(10)
            .setLearningRate(1e-3)
            .setMinLearningRate(1e-4)
            .build();
    assertEquals(1e-4, c.learningRateAt(0), 1e-12);
    assertEquals(1e-3, c.learningRateAt(9), 1e-12);
    assertEquals(5.5e-4, c.learningRateAt(60), 1e-12);
    assertEquals(1e-4, c.learningRateAt(110), 1e-12);
  }

  static List<Float> floats(float[] a) {
    List<Float> out = new ArrayList<>();
    for (float f : a) {
      out.add(f);
    }
    return out;
  }
}
