package dev.conveyor.model.artifact;

import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.train.TrainingConfig;
import java.util.Map;

/**
 * {@code manifest.json}: what an artifact directory contains and how it was made.
 *
 * @param format always {@link #FORMAT}
 * @param name model name
 * @param version model version label
 * @param createdAt ISO-8601 instant
 * @param modelConfig architecture of the weights
 * @param weightsFile safetensors file with the weights
 * @param tokenizer tokenizer file and special tokens
 * @param files sha256 and size of every other file of the artifact
 * @param training provenance and metrics
 */
public record Manifest(
    String format,
    String name,
    String version,
    String createdAt,
    ModelConfig modelConfig,
    String weightsFile,
    TokenizerInfo tokenizer,
    Map<String, FileEntry> files,
    Training training) {

  /** Format identifier written into every manifest. */
  public static final String FORMAT = "conveyor-model/1";

  /** File name of the manifest inside an artifact directory. */
  public static final String FILE = "manifest.json";

  /**
   * Digest of one file.
   *
   * @param sha256 lower-case hex sha256 of the content
   * @param size length in bytes
   */
  public record FileEntry(String sha256, long size) {}

  /**
   * The tokenizer part.
   *
   * @param file the {@code tokenizer.json}
   * @param vocabSize ids in the vocabulary
   * @param specialTokens token -> id
   * @param promptTemplate the prompt/completion template
   */
  public record TokenizerInfo(
      String file, int vocabSize, Map<String, Integer> specialTokens, String promptTemplate) {}

  /**
   * Provenance.
   *
   * @param datasetDigest dataset identity supplied by the platform
   * @param baseModel base model of a fine-tune, or null
   * @param configHash hash of model + training config
   * @param metrics metrics supplied by the caller
   * @param steps optimizer steps trained
   * @param config the hyper-parameters
   * @param datasetName name of the training dataset, or null when the platform did not say
   * @param datasetVersion version of that dataset, or null (artifacts before it was recorded)
   */
  public record Training(
      String datasetDigest,
      String baseModel,
      String configHash,
      Map<String, Double> metrics,
      long steps,
      TrainingConfig config,
      String datasetName,
      Long datasetVersion) {}
}
