package dev.conveyor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Pre-LayerNorm transformer block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}. */
public class DecoderLayer extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int width;
  private final float dropout;
  private final LayerNorm ln1;
  private final CausalSelfAttention attn;
  private final LayerNorm ln2;
  private final Linear fc1;
  private final Linear fc2;

  DecoderLayer(int width, int heads, float dropout, LoraConfig lora) {
    super(VERSION);
    this.width = width;
    this.dropout = dropout;
    ln1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
    attn = addChildBlock("attn", new CausalSelfAttention(width, heads, dropout, lora));
    ln2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
    fc1 = addChildBlock("fc1", Linear.builder().setUnits(4L * width).build());
    fc2 = addChildBlock("fc2", Linear.builder().setUnits(width).build());
  }

  /** Applies the block to {@code x} (batch, t, width); see {@link CausalSelfAttention#attend}. */
  public NDArray apply(
      ParameterStore ps, NDArray x, NDArray mask, KvCache cache, int layer, boolean training) {
    NDArray h = ln1.forward(ps, new NDList(x), training).head();
    x = x.add(attn.attend(ps, h, mask, cache, layer, training));
    h = ln2.forward(ps, new NDList(x), training).head();
    h = fc1.forward(ps, new NDList(h), training).head();
    h = fc2.forward(ps, new NDList(Activation.gelu(h)), training).head();
    if (dropout > 0) {
      h = Dropout.dropout(h, dropout, training).head();
    }
    return x.add(h);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
    return new NDList(apply(ps, inputs.head(), mask, null, 0, training));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    ln1.initialize(manager, dataType, x);
    attn.initialize(manager, dataType, x);
    ln2.initialize(manager, dataType, x);
    fc1.initialize(manager, dataType, x);
    fc2.initialize(manager, dataType, new Shape(x.get(0), x.get(1), 4L * width));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  CausalSelfAttention attention() {
    return attn;
  }
}
