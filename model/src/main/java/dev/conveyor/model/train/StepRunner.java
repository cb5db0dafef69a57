package dev.conveyor.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.conveyor.model.data.Sample;
import dev.conveyor.model.nn.GptModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One optimizer step: masked cross-entropy, backward, global-norm clipping, AdamW. */
final class StepRunner {

  private final GptModel model;
  private final AdamW optimizer;
  private final Map<String, Parameter> trainable;
  private final double clipNorm;
  private final int padId;
  private final double divergenceLoss;

  StepRunner(
      GptModel model, AdamW optimizer, Map<String, Parameter> trainable, double clip, int pad) {
    this.model = model;
    this.optimizer = optimizer;
    this.trainable = trainable;
    this.clipNorm = clip;
    this.padId = pad;
    // a loss three times the uniform baseline means the weights have blown up
    this.divergenceLoss = 3 * Math.log(model.config().vocabSize());
  }

  /** Runs one step on {@code rows}; returns {loss, input tokens}. */
  double[] run(NDManager parent, List<Sample> rows, double lr, long stepNumber) {
    int len = rows.stream().mapToInt(Sample::length).max().orElseThrow();
    int b = rows.size();
    long[] x = new long[b * len];
    long[] y = new long[b * len];
    float[] w = new float[b * len];
    float weightSum = 0;
    for (int i = 0; i < b; i++) {
      Sample s = rows.get(i);
      for (int j = 0; j < len; j++) {
        int k = i * len + j;
        if (j < s.length()) {
          x[k] = s.tokens()[j];
          y[k] = s.tokens()[j + 1];
          w[k] = s.weights()[j];
          weightSum += w[k];
        } else {
          x[k] = padId; // right padding: causal attention never lets real positions see it
        }
      }
    }
    if (weightSum == 0) {
      weightSum = 1; // a batch with no completion targets: zero loss, zero gradient
    }
    try (NDManager m = parent.newSubManager()) {
      NDArray ids = m.create(x, new Shape(b, len));
      NDArray targets = m.create(y, new Shape(b, len, 1));
      NDArray weights = m.create(w, new Shape(b, len));
      ParameterStore ps = new ParameterStore(m, false);
      NDArray loss;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray logits = model.logits(ps, ids, null, null, null, false, true);
        NDArray picked = logits.logSoftmax(-1).gather(targets, -1).reshape(b, len);
        loss = picked.mul(weights).sum().neg().div(weightSum);
        gc.backward(loss);
      }
      double lossValue = loss.getFloat();
      Map<String, NDArray> params = new LinkedHashMap<>();
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (Map.Entry<String, Parameter> e : trainable.entrySet()) {
        NDArray g = e.getValue().getArray().getGradient();
        g.attach(m);
        params.put(e.getKey(), e.getValue().getArray());
        grads.put(e.getKey(), g);
      }
      double norm = clip(grads);
      if (!Double.isFinite(lossValue) || !Double.isFinite(norm)) {
        throw new DivergenceException(stepNumber, "loss " + lossValue + ", gradient norm " + norm);
      }
      if (lossValue > divergenceLoss) {
        throw new DivergenceException(
            stepNumber,
            String.format(
                "loss %.3f exceeds 3x the uniform baseline (%.3f)", lossValue, divergenceLoss));
      }
      optimizer.update(params, grads, lr);
      for (NDArray g : grads.values()) {
        g.subi(g); // gradients accumulate in libtorch until zeroed
      }
      return new double[] {lossValue, (double) b * len};
    }
  }

  private double clip(Map<String, NDArray> grads) {
    NDArray[] squares = grads.values().stream().map(g -> g.square().sum()).toArray(NDArray[]::new);
    double norm = Math.sqrt(NDArrays.stack(new ai.djl.ndarray.NDList(squares)).sum().getFloat());
    if (clipNorm > 0 && norm > clipNorm) {
      float scale = (float) (clipNorm / (norm + 1e-6));
      grads.values().forEach(g -> g.muli(scale));
    }
    return norm;
  }
}
