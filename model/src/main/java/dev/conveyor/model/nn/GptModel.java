package dev.conveyor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoder-only transformer: token + learned position embeddings, {@code layers} pre-LN {@link
 * DecoderLayer}s, a final LayerNorm and an LM head tied to the token embedding.
 *
 * <p>Block inputs are {@code (ids)}, {@code (ids, positions)} or {@code (ids, positions, mask)}:
 * ids and positions are int64 (batch, t); the mask is additive (see {@link Masks}). Without a mask
 * the block is causal. The output is logits (batch, t, vocab). Incremental decoding goes through
 * {@link #logits} with a {@link KvCache}.
 */
public class GptModel extends AbstractBlock {

  private static final byte VERSION = 1;

  private final ModelConfig config;
  private final LoraConfig lora;
  private final TokenEmbedding tokens;
  private final TokenEmbedding positions;
  private final List<DecoderLayer> layers = new ArrayList<>();
  private final LayerNorm lnFinal;

  GptModel(Builder builder) {
    super(VERSION);
    config = builder.config;
    lora = builder.lora;
    float p = (float) config.dropout();
    tokens = addChildBlock("tok", new TokenEmbedding(config.vocabSize(), config.width()));
    positions = addChildBlock("pos", new TokenEmbedding(config.contextLength(), config.width()));
    for (int i = 0; i < config.layers(); i++) {
      layers.add(
          addChildBlock("layer" + i, new DecoderLayer(config.width(), config.heads(), p, lora)));
    }
    lnFinal = addChildBlock("lnf", LayerNorm.builder().axis(2).build());
    // GPT-2 initialisation: DJL's defaults start from a visibly higher loss.
    setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
    setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    setInitializer(Initializer.ONES, Parameter.Type.GAMMA);
    setInitializer(Initializer.ZEROS, Parameter.Type.BETA);
  }

  /** Creates a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The architecture. */
  public ModelConfig config() {
    return config;
  }

  /** The adapters (or {@link LoraConfig#NONE}). */
  public LoraConfig lora() {
    return lora;
  }

  /** Allocates all parameters in {@code manager} with the GPT-2 initialisation. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, config.contextLength()));
  }

  /**
   * Computes logits.
   *
   * @param ids int64 (batch, t)
   * @param positionIds int64 (batch, t) or null for {@code cached..cached+t-1}
   * @param mask additive mask broadcastable to (batch, heads, t, cached + t), or null for causal
   * @param cache keys/values of earlier positions, extended in place; null to encode from scratch
   * @param lastOnly when true only the last position's logits are computed: (batch, 1, vocab)
   */
  public NDArray logits(
      ParameterStore ps,
      NDArray ids,
      NDArray positionIds,
      NDArray mask,
      KvCache cache,
      boolean lastOnly,
      boolean training) {
    NDManager m = ids.getManager();
    int t = (int) ids.getShape().get(1);
    // a preallocated cache is told by its caller where tokens go; its prefill attends only itself
    int offset = cache == null || cache.isPreallocated() ? 0 : (int) cache.length();
    NDArray pos =
        positionIds != null ? positionIds : m.arange(offset, offset + t, 1, DataType.INT64);
    NDArray x = tokens.lookup(ps, ids, training).add(positions.lookup(ps, pos, training));
    if (config.dropout() > 0) {
      x = Dropout.dropout(x, (float) config.dropout(), training).head();
    }
    NDArray attnMask = mask != null ? mask : causalWithOffset(m, t, offset);
    for (int i = 0; i < layers.size(); i++) {
      x = layers.get(i).apply(ps, x, attnMask, cache, i, training);
    }
    if (lastOnly && t > 1) {
      x = x.get(new NDIndex(":, -1:, :"));
    }
    x = lnFinal.forward(ps, new NDList(x), training).head();
    return Linear.linear(x, tokens.weight(ps, x, training)).head();
  }

  private static NDArray causalWithOffset(NDManager m, int t, int offset) {
    if (t == 1) {
      return null; // a single new token may attend everything before it
    }
    NDArray full = Masks.causal(m, offset + t);
    return offset == 0 ? full : full.get(new NDIndex(":, :, " + offset + ":, :"));
  }

  /** A fresh growable cache sized for this model's layers. */
  public KvCache newCache(NDManager manager) {
    return new KvCache(manager, layers.size());
  }

  /** A preallocated cache of {@code slots} rows and {@code capacity} columns, written in place. */
  public KvCache newCache(NDManager manager, int slots, int capacity) {
    return KvCache.preallocated(manager, config, slots, capacity);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray pos = inputs.size() > 1 ? inputs.get(1) : null;
    NDArray mask = inputs.size() > 2 ? inputs.get(2) : null;
    return new NDList(logits(ps, inputs.head(), pos, mask, null, false, training));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape ids = inputShapes[0];
    tokens.initialize(manager, dataType, ids);
    positions.initialize(manager, dataType, ids);
    Shape hidden = ids.addAll(new Shape(config.width()));
    for (DecoderLayer layer : layers) {
      layer.initialize(manager, dataType, hidden);
    }
    lnFinal.initialize(manager, dataType, hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].addAll(new Shape(config.vocabSize()))};
  }

  /** All parameters (adapters included) by their stable hierarchical name. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : getParameters()) {
      out.put(p.getKey(), p.getValue());
    }
    return out;
  }

  /** True for LoRA adapter parameters. */
  public static boolean isAdapter(String parameterName) {
    return parameterName.endsWith("lora_a") || parameterName.endsWith("lora_b");
  }

  /**
   * Weights for export: adapters merged into their base projections ({@code W + s B A}) and
   * dropped, so the result loads into a plain (LoRA-free) model of the same config. Arrays are new
   * copies owned by {@code manager}.
   */
  public Map<String, NDArray> mergedWeights(NDManager manager) {
    Map<String, NDArray> merged = new LinkedHashMap<>();
    Map<Parameter, LoraLinear> projections = new java.util.IdentityHashMap<>();
    for (DecoderLayer layer : layers) {
      CausalSelfAttention a = layer.attention();
      projections.put(a.qkv().weightParameter(), a.qkv());
      projections.put(a.proj().weightParameter(), a.proj());
    }
    for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
      String name = e.getKey();
      if (isAdapter(name)) {
        continue;
      }
      LoraLinear proj = projections.get(e.getValue());
      NDArray value = proj != null ? proj.mergedWeight() : e.getValue().getArray().duplicate();
      value.attach(manager);
      merged.put(name, value);
    }
    return merged;
  }

  /** Builder in the style of {@code ai.djl.nn} blocks. */
  public static final class Builder {
    private ModelConfig config;
    private LoraConfig lora = LoraConfig.NONE;

    /** Sets the architecture (required). */
    public Builder setConfig(ModelConfig config) {
      this.config = config;
      return this;
    }

    /** Adds LoRA adapters on the attention projections. */
    public Builder optLora(LoraConfig lora) {
      this.lora = lora == null ? LoraConfig.NONE : lora;
      return this;
    }

    /** Builds the (uninitialised) block. */
    public GptModel build() {
      if (config == null) {
        throw new IllegalArgumentException("config is required");
      }
      return new GptModel(this);
    }
  }
}
