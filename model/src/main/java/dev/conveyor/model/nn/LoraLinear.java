package dev.conveyor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A dense layer {@code y = x W^T + b} with an optional low-rank adapter {@code s * B A x}.
 *
 * <p>Adapter parameters are named {@code lora_a} / {@code lora_b} and have type {@link
 * Parameter.Type#OTHER} so the model-wide weight initializer leaves them alone: A starts random, B
 * starts at zero, so a fresh adapter does not change the output.
 */
public class LoraLinear extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int outFeatures;
  private final LoraConfig lora;
  private final Parameter weight;
  private final Parameter bias;
  private Parameter loraA;
  private Parameter loraB;

  LoraLinear(int inFeatures, int outFeatures, LoraConfig lora) {
    super(VERSION);
    this.outFeatures = outFeatures;
    this.lora = lora;
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outFeatures, inFeatures))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
    bias =
        addParameter(
            Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(outFeatures))
                .optInitializer(Initializer.ZEROS)
                .build());
    if (lora.enabled()) {
      loraA =
          addParameter(
              Parameter.builder()
                  .setName("lora_a")
                  .setType(Parameter.Type.OTHER)
                  .optShape(new Shape(lora.rank(), inFeatures))
                  .optInitializer(new NormalInitializer((float) (1 / Math.sqrt(inFeatures))))
                  .build());
      loraB =
          addParameter(
              Parameter.builder()
                  .setName("lora_b")
                  .setType(Parameter.Type.OTHER)
                  .optShape(new Shape(outFeatures, lora.rank()))
                  .optInitializer(Initializer.ZEROS)
                  .build());
    }
  }

  /** Applies the layer to {@code x} of shape (..., in). */
  public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray b = ps.getValue(bias, x.getDevice(), training);
    NDArray y = Linear.linear(x, w, b).head();
    if (lora.enabled()) {
      NDArray in =
          lora.dropout() > 0 ? Dropout.dropout(x, (float) lora.dropout(), training).head() : x;
      NDArray a = ps.getValue(loraA, x.getDevice(), training);
      NDArray bb = ps.getValue(loraB, x.getDevice(), training);
      y = y.add(Linear.linear(Linear.linear(in, a).head(), bb).head().mul(lora.scale()));
    }
    return y;
  }

  Parameter weightParameter() {
    return weight;
  }

  /** The base weight with the adapter folded in: {@code W + s * B A} (a new array). */
  public NDArray mergedWeight() {
    NDArray w = weight.getArray();
    if (!lora.enabled()) {
      return w.duplicate();
    }
    return w.add(loraB.getArray().matMul(loraA.getArray()).mul(lora.scale()));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).addAll(new Shape(outFeatures))};
  }
}
