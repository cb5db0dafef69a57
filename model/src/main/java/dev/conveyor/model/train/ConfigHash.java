package dev.conveyor.model.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.conveyor.model.nn.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stable identity of a run's configuration: sha256 of canonical JSON (sorted keys, no whitespace)
 * of {@code {"model": ModelConfig, "training": TrainingConfig}}. The device and the checkpoint
 * interval are left out because they do not change what is learned.
 */
public final class ConfigHash {

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private ConfigHash() {}

  /** The canonical JSON that is hashed. */
  public static String canonicalJson(TrainingConfig training, ModelConfig model) {
    TrainingConfig normalized = training.toBuilder().setDevice("").setCheckpointInterval(0).build();
    Map<String, Object> root = new TreeMap<>();
    root.put("model", CANONICAL.convertValue(model, TreeMap.class));
    root.put("training", CANONICAL.convertValue(normalized, TreeMap.class));
    try {
      return CANONICAL.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lower-case hex sha256 of {@link #canonicalJson}. */
  public static String of(TrainingConfig training, ModelConfig model) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalJson(training, model).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
