package dev.conveyor.model.train;

import dev.conveyor.model.nn.LoraConfig;

/**
 * All hyper-parameters of a training run.
 *
 * @param steps optimizer steps in total
 * @param batchSize rows per step
 * @param sequenceLength input positions per row; 0 means the model's context length
 * @param learningRate peak learning rate
 * @param minLearningRate floor of the cosine decay
 * @param warmupSteps linear warm-up from 0 to the peak
 * @param weightDecay decoupled (AdamW) weight decay on matrices
 * @param beta1 AdamW first-moment decay
 * @param beta2 AdamW second-moment decay
 * @param clipNorm global gradient-norm clip; 0 disables clipping
 * @param seed seeds initialisation, data order and dropout
 * @param lora adapters to train instead of the full weights ({@link LoraConfig#NONE} for full)
 * @param checkpointInterval write a checkpoint every this many steps; 0 disables
 * @param device "cpu", "gpu" or "gpu:N"; excluded from the config hash
 */
public record TrainingConfig(
    int steps,
    int batchSize,
    int sequenceLength,
    double learningRate,
    double minLearningRate,
    int warmupSteps,
    double weightDecay,
    double beta1,
    double beta2,
    double clipNorm,
    long seed,
    LoraConfig lora,
    int checkpointInterval,
    String device) {

  public TrainingConfig {
    if (steps < 1 || batchSize < 1 || sequenceLength < 0 || warmupSteps < 0) {
      throw new IllegalArgumentException("steps and batchSize must be positive");
    }
    if (learningRate <= 0 || minLearningRate < 0 || minLearningRate > learningRate) {
      throw new IllegalArgumentException("need 0 <= minLearningRate <= learningRate, lr > 0");
    }
    lora = lora == null ? LoraConfig.NONE : lora;
    device = device == null ? "cpu" : device;
  }

  /** Defaults for training from scratch: 1000 steps of 16 x 128 tokens, lr 1e-3. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this config. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.steps = steps;
    b.batchSize = batchSize;
    b.sequenceLength = sequenceLength;
    b.learningRate = learningRate;
    b.minLearningRate = minLearningRate;
    b.warmupSteps = warmupSteps;
    b.weightDecay = weightDecay;
    b.beta1 = beta1;
    b.beta2 = beta2;
    b.clipNorm = clipNorm;
    b.seed = seed;
    b.lora = lora;
    b.checkpointInterval = checkpointInterval;
    b.device = device;
    return b;
  }

  /** Learning rate at {@code step} (0-based): linear warm-up, then cosine decay to the floor. */
  public double learningRateAt(long step) {
    if (step < warmupSteps) {
      return learningRate * (step + 1) / warmupSteps;
    }
    double span = Math.max(1, steps - warmupSteps);
    double progress = Math.min(1.0, (step - warmupSteps) / span);
    return minLearningRate
        + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress));
  }

  /** Builder with {@code setX} methods; every field has a default. */
  public static final class Builder {
    private int steps = 1000;
    private int batchSize = 16;
    private int sequenceLength = 128;
    private double learningRate = 1e-3;
    private double minLearningRate = 1e-4;
    private int warmupSteps = 50;
    private double weightDecay = 0.1;
    private double beta1 = 0.9;
    private double beta2 = 0.95;
    private double clipNorm = 1.0;
    private long seed = 42;
    private LoraConfig lora = LoraConfig.NONE;
    private int checkpointInterval = 0;
    private String device = "cpu";

    public Builder setSteps(int v) {
      steps = v;
      return this;
    }

    public Builder setBatchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder setSequenceLength(int v) {
      sequenceLength = v;
      return this;
    }

    public Builder setLearningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder setMinLearningRate(double v) {
      minLearningRate = v;
      return this;
    }

    public Builder setWarmupSteps(int v) {
      warmupSteps = v;
      return this;
    }

    public Builder setWeightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder setBetas(double b1, double b2) {
      beta1 = b1;
      beta2 = b2;
      return this;
    }

    public Builder setClipNorm(double v) {
      clipNorm = v;
      return this;
    }

    public Builder setSeed(long v) {
      seed = v;
      return this;
    }

    public Builder setLora(LoraConfig v) {
      lora = v;
      return this;
    }

    public Builder setCheckpointInterval(int v) {
      checkpointInterval = v;
      return this;
    }

    public Builder setDevice(String v) {
      device = v;
      return this;
    }

    public TrainingConfig build() {
      return new TrainingConfig(
          steps,
          batchSize,
          sequenceLength,
          learningRate,
          minLearningRate,
          warmupSteps,
          weightDecay,
          beta1,
          beta2,
          clipNorm,
          seed,
          lora,
          checkpointInterval,
          device);
    }
  }
}
