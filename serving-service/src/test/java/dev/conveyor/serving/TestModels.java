package dev.conveyor.serving;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.model.artifact.Archives;
import dev.conveyor.model.artifact.ArtifactInfo;
import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.BpeTrainer;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real models for the tests, trained here with the model module: a tiny one that learned the "add
 * one to each digit" task (it answers and stops), and a larger, barely trained one that never stops
 * (so the same workload is much slower on it). Archives are made with the model module's {@link
 * Archives} and uploaded where the registry puts them.
 */
final class TestModels {

  /** The dataset digest the tests attach to every version. */
  static final String DATASET = "sha256:" + "d".repeat(64);

  private static GptTrainer tiny;

  private TestModels() {}

  /** The small, trained model (trained once per JVM), exported for {@code version}. */
  static synchronized Path tiny(long version) throws IOException {
    if (tiny == null) {
      Path root = Files.createTempDirectory("serving-tiny-tok");
      try (TextTokenizer tok =
          TextTokenizer.train(List.of("0123456789"), vocab(), root.resolve("tok.json"))) {
        tiny =
            GptTrainer.fromScratch(new ModelConfig(vocab(), 32, 2, 4, 64, 0.0), tok, training(60));
      }
      tiny.train(examples(), p -> {}, () -> false);
    }
    return export(tiny, version);
  }

  /** A 16-layer model trained for one step: valid, but it rambles on to max_tokens. */
  static synchronized Path slow(long version) throws IOException {
    Path root = Files.createTempDirectory("serving-slow-tok");
    try (TextTokenizer tok =
            TextTokenizer.train(List.of("0123456789"), vocab(), root.resolve("tok.json"));
        GptTrainer t =
            GptTrainer.fromScratch(
                new ModelConfig(vocab(), 320, 16, 4, 128, 0.0), tok, training(1))) {
      t.train(examples(), p -> {}, () -> false);
      return export(t, version);
    }
  }

  /** Uploads {@code archive} as version {@code version} and returns its reference. */
  static ArtifactRef upload(ObjectStore store, String model, long version, Path archive)
      throws IOException {
    String key = "models/" + model + "/" + version + "/model.zip";
    store.putFile(key, archive, "application/zip");
    return new ArtifactRef(store.uri(key), Digests.of(archive), Files.size(archive));
  }

  /** The add-one answer to a 4-digit prompt. */
  static String answer(String prompt) {
    StringBuilder sb = new StringBuilder();
    for (char c : prompt.toCharArray()) {
      sb.append((char) ('0' + (c - '0' + 1) % 10));
    }
    return sb.toString();
  }

  private static int vocab() {
    return BpeTrainer.baseVocabSize();
  }

  private static Path export(GptTrainer t, long version) throws IOException {
    Path root = Files.createTempDirectory("serving-model-v" + version + "-");
    Path dir = root.resolve("artifact");
    t.exportArtifact(
        dir,
        new ArtifactInfo("qa", Long.toString(version), DATASET, null, null, Map.of(), null, null));
    Path archive = root.resolve("model.zip");
    Archives.pack(dir, archive);
    return archive;
  }

  private static TrainingConfig training(int steps) {
    return TrainingConfig.builder()
        .setSteps(steps)
        .setBatchSize(16)
        .setSequenceLength(16)
        .setLearningRate(3e-3)
        .setMinLearningRate(3e-4)
        .setWarmupSteps(Math.min(20, steps))
        .setWeightDecay(0.01)
        .setSeed(7)
        .build();
  }

  private static List<Example> examples() {
    Random r = new Random(1);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      StringBuilder p = new StringBuilder();
      for (int j = 0; j < 4; j++) {
        p.append((char) ('0' + r.nextInt(10)));
      }
      out.add(Example.pair(p.toString(), answer(p.toString())));
    }
    return out;
  }
}
