package dev.conveyor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention with a fused qkv projection, an additive mask and an optional {@link
 * KvCache} for incremental decoding.
 */
public class CausalSelfAttention extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int heads;
  private final int width;
  private final float dropout;
  private final LoraLinear qkv;
  private final LoraLinear proj;

  CausalSelfAttention(int width, int heads, float dropout, LoraConfig lora) {
    super(VERSION);
    this.heads = heads;
    this.width = width;
    this.dropout = dropout;
    qkv = addChildBlock("qkv", new LoraLinear(width, 3 * width, lora));
    proj = addChildBlock("proj", new LoraLinear(width, width, lora));
  }

  /**
   * Attends {@code x} (batch, t, width) to itself and, when {@code cache} is given, to the cached
   * positions before it.
   *
   * @param mask additive mask broadcastable to (batch, heads, t, cached + t), or null for none
   */
  public NDArray attend(
      ParameterStore ps, NDArray x, NDArray mask, KvCache cache, int layer, boolean training) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    long dh = width / heads;
    // (b, t, 3*width) -> (b, 3*heads, t, dh) -> q, k, v as (b, heads, t, dh) views
    NDArray fused = qkv.apply(ps, x, training);
    // for one token (t = 1) the head transpose is a no-op on the memory: a reshape does it
    NDList parts =
        (t == 1
                ? fused.reshape(b, 3L * heads, 1, dh)
                : fused.reshape(b, t, 3L * heads, dh).transpose(0, 2, 1, 3))
            .split(3, 1);
    NDArray q = parts.get(0);
    NDArray keysT = parts.get(1).transpose(0, 1, 3, 2); // (b, heads, dh, t)
    NDArray v = parts.get(2);
    if (cache != null) {
      NDArray[] kv = cache.append(layer, keysT, v);
      keysT = kv[0];
      v = kv[1];
    }
    NDArray scores = q.matMul(keysT).mul(1.0 / Math.sqrt(dh));
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray probs = scores.softmax(-1);
    if (dropout > 0) {
      probs = Dropout.dropout(probs, dropout, training).head();
    }
    NDArray y = probs.matMul(v);
    y = (t == 1 ? y : y.transpose(0, 2, 1, 3)).reshape(b, t, width);
    y = proj.apply(ps, y, training);
    return dropout > 0 ? Dropout.dropout(y, dropout, training).head() : y;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
    return new NDList(attend(ps, inputs.head(), mask, null, 0, training));
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    qkv.initialize(manager, dataType, inputShapes[0]);
    proj.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  LoraLinear qkv() {
    return qkv;
  }

  LoraLinear proj() {
    return proj;
  }
}
