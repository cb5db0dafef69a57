package dev.conveyor.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.conveyor.model.artifact.ArtifactException;
import dev.conveyor.model.artifact.ArtifactReader;
import dev.conveyor.model.artifact.Manifest;
import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.DecodeSession;
import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.model.generate.Generator;
import dev.conveyor.model.generate.TokenListener;
import dev.conveyor.model.nn.GptModel;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.nn.Weights;
import dev.conveyor.model.tokenizer.PromptTemplate;
import dev.conveyor.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A verified artifact loaded for inference: the entry point for evaluation and serving.
 *
 * <p>Threading: generation calls are {@code synchronized}, so one model may be shared by threads;
 * concurrent requests should be batched into one {@link #complete(List, List, TokenListener)} call
 * rather than queued on the lock, or run as a {@link #newSession continuous batch}. {@link
 * #close()} frees the native memory.
 */
public final class LanguageModel implements AutoCloseable {

  private final NDManager manager;
  private final GptModel model;
  private final TextTokenizer tokenizer;
  private final Manifest manifest;
  private final Generator generator;
  private boolean closed;

  private LanguageModel(NDManager manager, GptModel model, TextTokenizer tok, Manifest manifest) {
    this.manager = manager;
    this.model = model;
    this.tokenizer = tok;
    this.manifest = manifest;
    this.generator = new Generator(model, tok, manager);
  }

  /** Verifies and loads an artifact directory on the CPU. */
  public static LanguageModel load(Path artifactDirectory) throws IOException {
    return load(artifactDirectory, Device.cpu());
  }

  /**
   * Verifies every digest of the artifact, then loads it on {@code device}.
   *
   * @throws ArtifactException naming the file that is missing, corrupt, truncated or inconsistent
   */
  public static LanguageModel load(Path artifactDirectory, Device device) throws IOException {
    Manifest manifest = ArtifactReader.verify(artifactDirectory);
    TextTokenizer tok = TextTokenizer.load(artifactDirectory.resolve(manifest.tokenizer().file()));
    NDManager manager = Engine.getEngine("PyTorch").newBaseManager(device);
    try {
      GptModel model = GptModel.builder().setConfig(manifest.modelConfig()).build();
      model.initialize(manager);
      try (NDManager tmp = manager.newSubManager()) {
        Map<String, NDArray> weights;
        try {
          weights = Weights.read(tmp, artifactDirectory.resolve(manifest.weightsFile()));
          Weights.assign(model, weights, false);
        } catch (IOException | IllegalArgumentException e) {
          throw new ArtifactException(manifest.weightsFile(), e.getMessage(), e);
        }
      }
      return new LanguageModel(manager, model, tok, manifest);
    } catch (IOException | RuntimeException e) {
      manager.close();
      tok.close();
      throw e;
    }
  }

  /**
   * Completes prompts in the prompt/completion format ({@link PromptTemplate}), batched.
   *
   * @return one completion per prompt, in order
   */
  public List<Completion> complete(List<String> prompts, GenerationOptions options) {
    return complete(prompts, options, TokenListener.none());
  }

  /** As {@link #complete(List, GenerationOptions)}, streaming tokens to {@code listener}. */
  public List<Completion> complete(
      List<String> prompts, GenerationOptions options, TokenListener listener) {
    List<GenerationOptions> all = new ArrayList<>();
    prompts.forEach(p -> all.add(options));
    return complete(prompts, all, listener);
  }

  /** Completes prompts, each with its own options (serving batches concurrent requests so). */
  public synchronized List<Completion> complete(
      List<String> prompts, List<GenerationOptions> options, TokenListener listener) {
    checkOpen();
    List<long[]> ids = new ArrayList<>();
    prompts.forEach(p -> ids.add(PromptTemplate.encodePrompt(tokenizer, p)));
    return generator.generate(ids, options, listener);
  }

  /** Continues raw text (no template), e.g. for a model trained on a plain corpus. */
  public synchronized List<Completion> continueText(
      List<String> texts, GenerationOptions options, TokenListener listener) {
    checkOpen();
    List<long[]> ids = new ArrayList<>();
    texts.forEach(t -> ids.add(tokenizer.encode(t)));
    return generator.generate(ids, options, listener);
  }

  /** Generates from token ids directly. */
  public synchronized List<Completion> generateTokens(
      List<long[]> prompts, GenerationOptions options, TokenListener listener) {
    checkOpen();
    return generator.generate(prompts, options, listener);
  }

  /**
   * Opens a running batch for continuous batching (see {@link DecodeSession}): add templated
   * prompts ({@link #encodePrompt}) as requests arrive, step, and drop finished or cancelled rows.
   * Each step holds this model's generation lock. Close the session before the model.
   *
   * @param initialSlots rows to allocate at first (it grows as needed)
   */
  public DecodeSession newSession(int initialSlots) {
    checkOpen();
    return new DecodeSession(model, tokenizer, manager, initialSlots, this);
  }

  /** The token ids of {@code prompt} in the prompt/completion template, as the model is fed. */
  public long[] encodePrompt(String prompt) {
    return PromptTemplate.encodePrompt(tokenizer, prompt);
  }

  /** Number of tokens {@code prompt} occupies once templated. */
  public int promptTokens(String prompt) {
    return PromptTemplate.encodePrompt(tokenizer, prompt).length;
  }

  /** The tokenizer. */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The architecture. */
  public ModelConfig config() {
    return model.config();
  }

  /** The verified manifest. */
  public Manifest manifest() {
    return manifest;
  }

  /** The block, for advanced use (e.g. computing logits in tests). */
  public GptModel block() {
    return model;
  }

  /** The manager holding the weights. */
  public NDManager manager() {
    return manager;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("model is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      manager.close();
      tokenizer.close();
    }
  }
}
