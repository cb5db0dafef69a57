package dev.conveyor.serving.service;

import dev.conveyor.model.LanguageModel;
import dev.conveyor.model.artifact.Archives;
import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.model.generate.TokenListener;
import dev.conveyor.serving.config.ServingConfig;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Turns a promoted version into a model ready to serve: download from the registry's storage, check
 * the archive's sha256 and size, unpack and verify every file (model module), load, warm up and run
 * the golden smoke test. Any failure refuses the model with the step that failed.
 */
@ApplicationScoped
public class ModelLoader {

  private static final Logger LOG = Logger.getLogger(ModelLoader.class);

  private final ObjectStore store;
  private final ServingConfig config;
  private final GoldenPrompts golden;

  public ModelLoader(ObjectStore store, ServingConfig config, GoldenPrompts golden) {
    this.store = store;
    this.config = config;
    this.golden = golden;
  }

  /**
   * Loads {@code source}.
   *
   * @throws ModelRefusedException naming the step that failed
   */
  public ServedModel load(ModelSource source) {
    Path dir = workDirectory(source);
    try {
      Path archive = download(source, dir);
      Path artifact = dir.resolve("artifact");
      step("unpack", () -> Archives.unpack(archive, artifact));
      Files.deleteIfExists(archive);
      LanguageModel model = step("load", () -> LanguageModel.load(artifact));
      String smoke;
      try {
        checkProvenance(source, model);
        smoke = warmUpAndSmokeTest(model, source);
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
      return new ServedModel(model, source.identity(), dir, smoke);
    } catch (RuntimeException | IOException e) {
      ServedModel.deleteQuietly(dir);
      if (e instanceof ModelRefusedException r) {
        throw r;
      }
      throw new ModelRefusedException("load", String.valueOf(e.getMessage()), e);
    }
  }

  private Path download(ModelSource source, Path dir) {
    String uri = source.artifact().uri();
    String name = uri.substring(uri.lastIndexOf('/') + 1);
    Path target = dir.resolve(name.isBlank() ? "model.zip" : name);
    StoredObject got = step("download", () -> store.download(store.keyOf(uri), target));
    if (!got.digest().equals(source.artifact().digest())) {
      throw new ModelRefusedException(
          "digest",
          uri
              + " has sha256 "
              + got.digest()
              + " but the promotion says "
              + source.artifact().digest(),
          null);
    }
    if (source.artifact().sizeBytes() > 0 && got.size() != source.artifact().sizeBytes()) {
      throw new ModelRefusedException(
          "digest",
          uri
              + " has "
              + got.size()
              + " bytes but the promotion says "
              + source.artifact().sizeBytes(),
          null);
    }
    return target;
  }

  private void checkProvenance(ModelSource source, LanguageModel model) {
    var training = model.manifest().training();
    String inArtifact = training == null ? null : training.datasetDigest();
    if (inArtifact != null
        && source.datasetDigest() != null
        && !Objects.equals(inArtifact, source.datasetDigest())) {
      // the trainer may record another form of the dataset identity: worth a warning, not a refusal
      LOG.warnf(
          "%s: the artifact names dataset %s, the promotion %s",
          source.identity().label(), inArtifact, source.datasetDigest());
    }
  }

  /**
   * Warm-up (the first decode pays for native allocations), then the golden prompts (the test split
   * of the model's dataset, see {@link GoldenPrompts}) decoded as one batch: no exception, every
   * prompt yields at least one token, at least one yields visible text, all within the smoke
   * timeout.
   *
   * @return where the golden prompts came from
   */
  private String warmUpAndSmokeTest(LanguageModel model, ModelSource source) {
    var training = model.manifest().training();
    String dataset = training != null ? training.datasetDigest() : null;
    GoldenPrompts.Golden g =
        dataset != null
            ? golden.forDataset(dataset, training.datasetName(), training.datasetVersion())
            : golden.forDataset(source.datasetDigest(), null, null);
    List<String> prompts = g.prompts();
    step("warm-up", () -> model.complete(List.of(prompts.get(0)), GenerationOptions.greedy(2)));
    long start = System.nanoTime();
    GenerationOptions greedy = GenerationOptions.greedy(config.smoke().maxTokens());
    List<Completion> out =
        step(
            "smoke-test",
            () ->
                g.text()
                    ? model.continueText(prompts, greedy, TokenListener.none())
                    : model.complete(prompts, greedy));
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (millis > config.smoke().timeout().toMillis()) {
      throw new ModelRefusedException(
          "smoke-test",
          "golden prompts took " + millis + " ms (limit " + config.smoke().timeout() + ")",
          null);
    }
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).completionTokens() < 1) {
        throw new ModelRefusedException(
            "smoke-test", "golden prompt #" + i + " (" + g.source() + ") produced no token", null);
      }
    }
    if (out.stream().allMatch(c -> c.text().isBlank())) {
      throw new ModelRefusedException(
          "smoke-test", "every golden prompt (" + g.source() + ") produced blank text", null);
    }
    String summary = prompts.size() + " prompts from the " + g.source();
    LOG.infof("%s: smoke test passed in %d ms (%s)", source.identity().label(), millis, summary);
    return summary;
  }

  private Path workDirectory(ModelSource source) {
    try {
      Path root =
          config.workDir().isPresent()
              ? Files.createDirectories(config.workDir().get())
              : Path.of(System.getProperty("java.io.tmpdir"));
      return Files.createTempDirectory(root, source.model() + "-v" + source.version() + "-");
    } catch (IOException e) {
      throw new ModelRefusedException("download", "no work directory: " + e.getMessage(), e);
    }
  }

  private interface Step<T> {
    T run() throws Exception;
  }

  private static <T> T step(String name, Step<T> step) {
    try {
      return step.run();
    } catch (ModelRefusedException e) {
      throw e;
    } catch (Exception e) {
      throw new ModelRefusedException(name, String.valueOf(e.getMessage()), e);
    }
  }
}
