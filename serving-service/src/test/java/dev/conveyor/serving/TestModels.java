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
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Real models for the tests, trained here with the model module: a tiny one that learned the "add
 * one to each digit" task (it answers and stops), and a larger, barely trained one that never stops
 * (so the same workload is much slower on it). Archives are made with the model module's {@link
 * Archives} and uploaded where the registry puts them.
 */
final class TestModels {

  /** Test-split records of the dataset the models name: the smoke test's golden prompts. */
  private static final List<String> GOLDEN = List.of("4821", "7305", "1969");

  private static final byte[] TEST_SPLIT = gzip(GOLDEN);

  private static final byte[] DATASET_MANIFEST =
      new DatasetManifest(
              "digits",
              1,
              null,
              null,
              "2026-11-25T00:00:00Z",
              DatasetManifest.KIND_QA,
              List.of(),
              new DatasetManifest.Counts(0, GOLDEN.size(), 0, 0),
              new DatasetManifest.Split("test iff hash mod 1000 < permille", 100),
              Map.of(
                  DatasetLayout.TEST,
                  new DatasetManifest.FileEntry(
                      Digests.of(TEST_SPLIT), TEST_SPLIT.length, GOLDEN.size())))
          .toJson();

  /** The dataset (manifest digest) every version names: {@code digits} v1, stored by the test. */
  static final String DATASET = Digests.of(DATASET_MANIFEST);

  private static GptTrainer tiny;

  private TestModels() {}

  /** Stores dataset {@code digits} v1 (its test split holds the golden prompts). */
  static void storeDataset(ObjectStore store) {
    String prefix = DatasetLayout.prefix("digits", 1);
    store.put(prefix + DatasetLayout.TEST, TEST_SPLIT, "application/gzip");
    store.put(DatasetLayout.manifestKey("digits", 1), DATASET_MANIFEST, "application/json");
  }

  private static byte[] gzip(List<String> prompts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Writer w = new OutputStreamWriter(new GZIPOutputStream(out), StandardCharsets.UTF_8)) {
      for (String p : prompts) {
        w.write(
            "{\"id\":\""
                + p
                + "\",\"prompt\":\""
                + p
                + "\",\"completion\":\""
                + answer(p)
                + "\"}\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The small, trained model, exported for {@code version} naming another dataset. */
  static synchronized Path tiny(long version, String datasetDigest) throws IOException {
    tiny(version);
    return export(tiny, version, datasetDigest);
  }

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

  /** Names {@code digits} v1 by name, version and digest, as the trainer does. */
  private static Path export(GptTrainer t, long version) throws IOException {
    return export(t, version, ArtifactInfo.of("qa", DATASET).withDataset("digits", 1));
  }

  /** Names the dataset by digest only, as artifacts did before name and version were recorded. */
  private static Path export(GptTrainer t, long version, String dataset) throws IOException {
    return export(t, version, ArtifactInfo.of("qa", dataset));
  }

  private static Path export(GptTrainer t, long version, ArtifactInfo info) throws IOException {
    Path root = Files.createTempDirectory("serving-model-v" + version + "-");
    Path dir = root.resolve("artifact");
    t.exportArtifact(
        dir,
        new ArtifactInfo(
            info.name(),
            Long.toString(version),
            info.datasetDigest(),
            null,
            null,
            Map.of(),
            null,
            null,
            info.datasetName(),
            info.datasetVersion()));
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
