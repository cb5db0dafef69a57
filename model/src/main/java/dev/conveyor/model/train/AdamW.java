package dev.conveyor.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.conveyor.model.nn.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), written out in NDArray ops so that its
 * moments can be checkpointed and restored exactly (DJL's optimizers keep their state private).
 *
 * <p>Weight decay applies to matrices only (rank >= 2), not to biases and LayerNorm gains.
 */
public final class AdamW implements AutoCloseable {

  private final NDManager manager;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long step;

  /** Creates the optimizer; its moment tensors live in a child of {@code parent}. */
  public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
    this.manager = parent.newSubManager();
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /** Number of updates applied so far. */
  public long step() {
    return step;
  }

  /**
   * Applies one update in place to {@code params} given their {@code grads} (same keys). Must run
   * outside a gradient collector.
   */
  public void update(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      NDArray g = grads.get(name);
      NDArray mt = m.computeIfAbsent(name, k -> manager.zeros(p.getShape(), p.getDataType()));
      NDArray vt = v.computeIfAbsent(name, k -> manager.zeros(p.getShape(), p.getDataType()));
      mt.muli(beta1).addi(g.mul(1 - beta1));
      vt.muli(beta2).addi(g.square().muli(1 - beta2));
      if (weightDecay > 0 && p.getShape().dimension() >= 2) {
        p.muli(1 - lr * weightDecay);
      }
      NDArray denom = vt.sqrt().divi(bc2Sqrt).addi(eps);
      p.subi(mt.div(denom).muli(lr / bc1));
    }
  }

  /** Writes the moments to {@code file}; the step count goes with the caller's state. */
  public void save(Path file) throws IOException {
    Map<String, NDArray> all = new LinkedHashMap<>();
    m.forEach((k, a) -> all.put("m." + k, a));
    v.forEach((k, a) -> all.put("v." + k, a));
    Weights.save(all, file);
  }

  /** Restores moments written by {@link #save} and the step count. */
  public void load(Path file, long stepCount) throws IOException {
    Map<String, NDArray> all = Weights.read(manager, file);
    m.clear();
    v.clear();
    all.forEach(
        (k, a) -> {
          if (k.startsWith("m.")) {
            m.put(k.substring(2), a);
          } else if (k.startsWith("v.")) {
            v.put(k.substring(2), a);
          }
        });
    this.step = stepCount;
  }

  @Override
  public void close() {
    manager.close();
  }
}
