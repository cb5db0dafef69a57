package dev.conveyor.trainer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.conveyor.model.nn.LoraConfig;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.BpeTrainer;
import dev.conveyor.model.train.ConfigHash;
import dev.conveyor.model.train.TrainingConfig;
import dev.conveyor.storage.Digests;
import dev.conveyor.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Merges {@code models/default.yaml}, {@code models/<model>.yaml} and the request's overrides (in
 * that order; {@code conveyor.trainer.models-dir} shadows the bundled files) into a {@link
 * RunConfig}.
 */
@ApplicationScoped
public class RunConfigLoader {
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();
  static final Set<String> KEYS =
      Arrays.stream(Settings.class.getRecordComponents())
          .map(c -> c.getName())
          .collect(Collectors.toCollection(TreeSet::new));

  private final Optional<Path> modelsDir;

  public RunConfigLoader(TrainerConfig config) {
    this.modelsDir = config.modelsDir().map(Path::of);
  }

  /** Every key a YAML file or an override may set. */
  record Settings(
      int vocabSize,
      int contextLength,
      int layers,
      int heads,
      int width,
      double dropout,
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
      int loraRank,
      double loraAlpha,
      double loraDropout,
      int checkpointInterval) {}

  /**
   * The merged config of {@code model} with {@code overrides}, for {@code device}.
   *
   * @throws InvalidConfigException naming an unknown key or a bad value
   */
  public RunConfig resolve(String model, Map<String, Object> overrides, String device) {
    Map<String, Object> merged = merge(model, overrides);
    Settings s;
    try {
      s = STRICT.convertValue(merged, Settings.class);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(describe(e));
    }
    if (s.vocabSize() < BpeTrainer.baseVocabSize()) {
      throw new InvalidConfigException(
          "vocabSize must be at least " + BpeTrainer.baseVocabSize() + ", got " + s.vocabSize());
    }
    try {
      ModelConfig architecture =
          new ModelConfig(
              s.vocabSize(), s.contextLength(), s.layers(), s.heads(), s.width(), s.dropout());
      TrainingConfig training =
          TrainingConfig.builder()
              .setSteps(s.steps())
              .setBatchSize(s.batchSize())
              .setSequenceLength(s.sequenceLength())
              .setLearningRate(s.learningRate())
              .setMinLearningRate(s.minLearningRate())
              .setWarmupSteps(s.warmupSteps())
              .setWeightDecay(s.weightDecay())
              .setBetas(s.beta1(), s.beta2())
              .setClipNorm(s.clipNorm())
              .setSeed(s.seed())
              .setLora(new LoraConfig(s.loraRank(), s.loraAlpha(), s.loraDropout()))
              .setCheckpointInterval(s.checkpointInterval())
              .setDevice(device)
              .build();
      return new RunConfig(
          merged, architecture, training, Digests.PREFIX + ConfigHash.of(training, architecture));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(e.getMessage());
    }
  }

  /**
   * A hash of the merged map even when it is invalid, so a failed run still has a stable identity.
   */
  public String rawHash(String model, Map<String, Object> overrides) {
    Map<String, Object> merged = new TreeMap<>(defaults(model));
    merged.putAll(overrides);
    try {
      return Digests.of(CANONICAL.writeValueAsString(merged).getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      return Digests.of(String.valueOf(merged).getBytes(StandardCharsets.UTF_8));
    }
  }

  private Map<String, Object> merge(String model, Map<String, Object> overrides) {
    Map<String, Object> merged = defaults(model);
    for (String key : overrides.keySet()) {
      if (!KEYS.contains(key)) {
        throw new InvalidConfigException(
            "unknown config key '" + key + "' (known keys: " + String.join(", ", KEYS) + ")");
      }
    }
    merged.putAll(overrides);
    return merged;
  }

  private Map<String, Object> defaults(String model) {
    Map<String, Object> merged =
        read("default.yaml")
            .orElseThrow(() -> new IllegalStateException("models/default.yaml is missing"));
    if (model != null && model.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      read(model + ".yaml").ifPresent(merged::putAll);
    }
    return merged;
  }

  private Optional<Map<String, Object>> read(String file) {
    try {
      if (modelsDir.isPresent() && Files.isRegularFile(modelsDir.get().resolve(file))) {
        try (InputStream in = Files.newInputStream(modelsDir.get().resolve(file))) {
          return Optional.of(parse(file, in));
        }
      }
      try (InputStream in =
          Thread.currentThread().getContextClassLoader().getResourceAsStream("models/" + file)) {
        return in == null ? Optional.empty() : Optional.of(parse(file, in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read models/" + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String file, InputStream in) throws IOException {
    Map<String, Object> m = YAML.readValue(in, LinkedHashMap.class);
    Map<String, Object> out = m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m);
    for (String key : out.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalStateException("models/" + file + ": unknown key '" + key + "'");
      }
    }
    return out;
  }

  private static String describe(IllegalArgumentException e) {
    if (e.getCause() instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String key = m.getPath().get(0).getFieldName();
      return "invalid value for '" + key + "': " + m.getOriginalMessage();
    }
    return "invalid config: " + e.getMessage();
  }
}
