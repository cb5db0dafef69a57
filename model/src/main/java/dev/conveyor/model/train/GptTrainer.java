package dev.conveyor.model.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import dev.conveyor.model.artifact.ArtifactInfo;
import dev.conveyor.model.artifact.ArtifactReader;
import dev.conveyor.model.artifact.ArtifactWriter;
import dev.conveyor.model.artifact.Manifest;
import dev.conveyor.model.data.BatchSampler;
import dev.conveyor.model.data.Example;
import dev.conveyor.model.data.Sample;
import dev.conveyor.model.data.TokenizedDataset;
import dev.conveyor.model.nn.GptModel;
import dev.conveyor.model.nn.LoraConfig;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.nn.Weights;
import dev.conveyor.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Trains a {@link GptModel}: from scratch, as a fine-tune of an artifact (optionally with LoRA), or
 * resumed from a checkpoint. One trainer runs one session at a time and only one trainer may train
 * per JVM at a time (libtorch's gradient recording is process-global in DJL).
 *
 * <pre>{@code
 * try (GptTrainer t = GptTrainer.fromScratch(ModelConfig.defaults(tok.vocabSize()), tok, cfg)) {
 *   t.setCheckpointDirectory(dir);
 *   TrainingResult r = t.train(examples, listener, cancelled::get);
 *   t.exportArtifact(out, info);
 * }
 * }</pre>
 */
public final class GptTrainer implements AutoCloseable {

  private final NDManager manager;
  private final GptModel model;
  private final TextTokenizer tokenizer;
  private final TrainingConfig config;
  private final AdamW optimizer;
  private final List<Double> losses = new ArrayList<>();
  private long step;
  private String datasetDigest;
  private Path checkpointDirectory;

  private GptTrainer(ModelConfig modelConfig, TextTokenizer tokenizer, TrainingConfig config) {
    if (tokenizer.vocabSize() != modelConfig.vocabSize()) {
      throw new IllegalArgumentException(
          "tokenizer has "
              + tokenizer.vocabSize()
              + " ids but the model config says vocabSize="
              + modelConfig.vocabSize());
    }
    this.tokenizer = tokenizer;
    this.config = config;
    this.manager = Engine.getEngine("PyTorch").newBaseManager(Device.fromName(config.device()));
    this.model = GptModel.builder().setConfig(modelConfig).optLora(config.lora()).build();
    Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
    model.initialize(manager);
    this.optimizer = new AdamW(manager, config.beta1(), config.beta2(), 1e-8, config.weightDecay());
  }

  /** A new model with random (GPT-2 style) weights. The tokenizer is copied, not taken over. */
  public static GptTrainer fromScratch(
      ModelConfig modelConfig, TextTokenizer tokenizer, TrainingConfig config) throws IOException {
    TextTokenizer copy = TextTokenizer.fromJson(tokenizer.json());
    try {
      return new GptTrainer(modelConfig, copy, config);
    } catch (RuntimeException e) {
      copy.close();
      throw e;
    }
  }

  /**
   * Fine-tunes a verified artifact directory, reusing its config and tokenizer. With {@code
   * config.lora()} enabled only the adapters train; {@link #exportArtifact} merges them.
   */
  public static GptTrainer fineTune(Path baseArtifact, TrainingConfig config) throws IOException {
    Manifest manifest = ArtifactReader.verify(baseArtifact);
    TextTokenizer tok = TextTokenizer.load(baseArtifact.resolve(manifest.tokenizer().file()));
    GptTrainer t;
    try {
      t = new GptTrainer(manifest.modelConfig(), tok, config);
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
    try (NDManager tmp = t.manager.newSubManager()) {
      Map<String, NDArray> base = Weights.read(tmp, baseArtifact.resolve(manifest.weightsFile()));
      Weights.assign(t.model, base, true);
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  /** Restores the newest checkpoint under {@code checkpointDirectory} and keeps writing there. */
  public static GptTrainer resume(Path checkpointDirectory) throws IOException {
    Path dir = Checkpoints.latest(checkpointDirectory);
    CheckpointState state = Checkpoints.readState(dir);
    TextTokenizer tok = TextTokenizer.load(dir.resolve(Checkpoints.TOKENIZER));
    GptTrainer t;
    try {
      t = new GptTrainer(state.modelConfig(), tok, state.trainingConfig());
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
    try (NDManager tmp = t.manager.newSubManager()) {
      Weights.assign(t.model, Weights.read(tmp, dir.resolve(Checkpoints.WEIGHTS)), false);
      t.optimizer.load(dir.resolve(Checkpoints.OPTIMIZER), state.step());
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    }
    t.step = state.step();
    t.losses.addAll(state.losses());
    t.datasetDigest = state.datasetDigest();
    t.checkpointDirectory = checkpointDirectory;
    return t;
  }

  /** Where checkpoints go (every {@code checkpointInterval} steps, and on cancellation). */
  public GptTrainer setCheckpointDirectory(Path directory) {
    this.checkpointDirectory = directory;
    return this;
  }

  /**
   * Trains from the current step up to {@code config.steps()}.
   *
   * @param examples the data; on resume it must tokenize to the same rows as before
   * @param listener progress after each step
   * @param cancelled polled before each step; when true a checkpoint is written (if a directory is
   *     set) and {@link CancellationException} is thrown
   * @throws DivergenceException when the loss or gradient norm is non-finite or explodes
   */
  public TrainingResult train(
      List<Example> examples, ProgressListener listener, BooleanSupplier cancelled)
      throws IOException {
    // libtorch's grad mode is thread-local and on by default in threads DJL did not start; the
    // in-place optimizer update must run with it off (the gradient collector turns it on itself)
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return trainLoop(examples, listener, cancelled);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private TrainingResult trainLoop(
      List<Example> examples, ProgressListener listener, BooleanSupplier cancelled)
      throws IOException {
    int seqLen = Math.min(sequenceLength(), model.config().contextLength());
    TokenizedDataset data = TokenizedDataset.build(examples, tokenizer, seqLen);
    if (datasetDigest != null && !datasetDigest.equals(data.digest())) {
      throw new IllegalArgumentException(
          "the examples differ from those the checkpoint was trained on (dataset digest "
              + data.digest()
              + " != "
              + datasetDigest
              + ")");
    }
    datasetDigest = data.digest();
    BatchSampler sampler = new BatchSampler(data.size(), config.batchSize(), config.seed());
    StepRunner runner =
        new StepRunner(
            model, optimizer, trainableParameters(), config.clipNorm(), tokenizer.padId());
    Engine engine = Engine.getEngine("PyTorch");
    long start = System.nanoTime();
    double tokens = 0;
    long first = step;
    while (step < config.steps()) {
      if (cancelled.getAsBoolean()) {
        checkpoint(listener);
        throw new CancellationException("training cancelled at step " + step);
      }
      List<Sample> rows = new ArrayList<>();
      for (int i : sampler.batch(step)) {
        rows.add(data.samples().get(i));
      }
      engine.setRandomSeed(
          (int) (config.seed() * 1_000_003L + step)); // dropout stream of this step
      double lr = config.learningRateAt(step);
      double[] out = runner.run(manager, rows, lr, step + 1);
      step++;
      losses.add(out[0]);
      tokens += out[1];
      double secs = (System.nanoTime() - start) / 1e9;
      double perStep = secs / (step - first);
      listener.onProgress(
          new TrainingProgress(
              step,
              config.steps(),
              out[0],
              lr,
              tokens / secs,
              Duration.ofMillis((long) (perStep * (config.steps() - step) * 1000))));
      if (config.checkpointInterval() > 0 && step % config.checkpointInterval() == 0) {
        checkpoint(listener);
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    int tail = Math.min(50, losses.size());
    double finalLoss =
        losses.subList(losses.size() - tail, losses.size()).stream()
            .mapToDouble(Double::doubleValue)
            .average()
            .orElse(Double.NaN);
    return new TrainingResult(
        step,
        List.copyOf(losses),
        finalLoss,
        secs > 0 ? tokens / secs : 0,
        Duration.ofNanos((long) (secs * 1e9)));
  }

  private int sequenceLength() {
    return config.sequenceLength() > 0 ? config.sequenceLength() : model.config().contextLength();
  }

  private Map<String, Parameter> trainableParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      boolean adapter = GptModel.isAdapter(e.getKey());
      boolean train = !config.lora().enabled() || adapter;
      e.getValue().freeze(!train); // frozen weights get no gradient buffers at all
      if (train) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Writes a checkpoint now (no-op without a checkpoint directory); returns its folder or null. */
  public Path checkpoint(ProgressListener listener) throws IOException {
    if (checkpointDirectory == null || datasetDigest == null) {
      return null;
    }
    CheckpointState state =
        new CheckpointState(
            step,
            step * config.batchSize(),
            CheckpointState.RESEED_PER_STEP,
            datasetDigest,
            List.copyOf(losses),
            model.config(),
            config);
    Path dir =
        Checkpoints.write(
            checkpointDirectory,
            step,
            folder -> {
              Weights.save(Weights.current(model), folder.resolve(Checkpoints.WEIGHTS));
              optimizer.save(folder.resolve(Checkpoints.OPTIMIZER));
              java.nio.file.Files.writeString(
                  folder.resolve(Checkpoints.TOKENIZER), tokenizer.json());
              Checkpoints.writeState(folder, state);
            });
    listener.onCheckpoint(step, dir);
    return dir;
  }

  /**
   * Writes the artifact directory (LoRA adapters merged into the weights) with the caller's
   * metadata; a null {@code info.configHash()} is filled with {@link #configHash()}.
   */
  public Manifest exportArtifact(Path directory, ArtifactInfo info) throws IOException {
    ArtifactInfo filled = info.configHash() == null ? info.withConfigHash(configHash()) : info;
    try (NDManager tmp = manager.newSubManager()) {
      return ArtifactWriter.write(
          directory, model.config(), model.mergedWeights(tmp), tokenizer, config, step, filled);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** sha256 of the canonical model + training config (see {@link ConfigHash}). */
  public String configHash() {
    return ConfigHash.of(config, model.config());
  }

  /** Steps completed. */
  public long step() {
    return step;
  }

  /** Loss of every completed step. */
  public List<Double> losses() {
    return List.copyOf(losses);
  }

  /** The model being trained (weights live until {@link #close()}). */
  public GptModel model() {
    return model;
  }

  /** The tokenizer (owned by this trainer). */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The hyper-parameters. */
  public TrainingConfig config() {
    return config;
  }

  /** The adapters being trained, or {@link LoraConfig#NONE}. */
  public LoraConfig lora() {
    return config.lora();
  }

  @Override
  public void close() {
    optimizer.close();
    manager.close();
    tokenizer.close();
  }
}
