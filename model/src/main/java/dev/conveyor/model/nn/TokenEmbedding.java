package dev.conveyor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/** A lookup table of {@code count x width} vectors whose weight can also be read (for tying). */
public class TokenEmbedding extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int width;
  private final Parameter weight;

  TokenEmbedding(int count, int width) {
    super(VERSION);
    this.width = width;
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(count, width))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
  }

  /** Looks up {@code ids} (any shape, int64) and returns {@code ids.shape + [width]}. */
  public NDArray lookup(ParameterStore ps, NDArray ids, boolean training) {
    return Embedding.embedding(ids, weight(ps, ids, training), SparseFormat.DENSE).head();
  }

  /** The table, on the device of {@code like}. */
  public NDArray weight(ParameterStore ps, NDArray like, boolean training) {
    return ps.getValue(weight, like.getDevice(), training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(lookup(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].addAll(new Shape(width))};
  }
}
