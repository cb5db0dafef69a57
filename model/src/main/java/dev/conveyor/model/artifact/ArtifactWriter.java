package dev.conveyor.model.artifact;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.nn.Weights;
import dev.conveyor.model.tokenizer.PromptTemplate;
import dev.conveyor.model.tokenizer.SpecialTokens;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes an artifact directory: {@code model.safetensors}, {@code tokenizer.json}, {@code
 * README.md} (model card) and {@code manifest.json} with the sha256 of every other file. The
 * directory is assembled next to the target and renamed into place, so readers never see half an
 * artifact.
 */
public final class ArtifactWriter {

  /** Weights file name. */
  public static final String WEIGHTS = "model.safetensors";

  /** Tokenizer file name. */
  public static final String TOKENIZER = "tokenizer.json";

  /** Model card file name. */
  public static final String CARD = "README.md";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ArtifactWriter() {}

  /**
   * Writes the artifact to {@code directory}, which must not exist or be empty.
   *
   * @param weights merged, adapter-free weights by parameter name
   * @param training hyper-parameters, or null when unknown
   */
  public static Manifest write(
      Path directory,
      ModelConfig config,
      Map<String, NDArray> weights,
      TextTokenizer tokenizer,
      TrainingConfig training,
      long steps,
      ArtifactInfo info)
      throws IOException {
    Path target = directory.toAbsolutePath();
    if (Files.exists(target)) {
      try (Stream<Path> s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new IOException("artifact directory " + target + " is not empty");
        }
      }
      Files.delete(target);
    }
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + System.nanoTime());
    Files.createDirectories(tmp);
    Weights.save(weights, tmp.resolve(WEIGHTS));
    Files.writeString(tmp.resolve(TOKENIZER), tokenizer.json());
    String template =
        PromptTemplate.format("{prompt}") + "{completion}" + SpecialTokens.END_OF_TEXT;
    Files.writeString(tmp.resolve(CARD), ModelCard.render(info, config, training, steps, template));
    Map<String, Manifest.FileEntry> files = new LinkedHashMap<>();
    for (String f : new String[] {WEIGHTS, TOKENIZER, CARD}) {
      Path p = tmp.resolve(f);
      files.put(f, new Manifest.FileEntry(Digests.sha256(p), Files.size(p)));
    }
    Map<String, Integer> specials = new LinkedHashMap<>();
    specials.put(SpecialTokens.END_OF_TEXT, tokenizer.endOfTextId());
    specials.put(SpecialTokens.PROMPT, tokenizer.promptId());
    specials.put(SpecialTokens.COMPLETION, tokenizer.completionId());
    specials.put(SpecialTokens.PAD, tokenizer.padId());
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            info.name(),
            info.version(),
            Instant.now().toString(),
            config,
            WEIGHTS,
            new Manifest.TokenizerInfo(TOKENIZER, tokenizer.vocabSize(), specials, template),
            files,
            new Manifest.Training(
                info.datasetDigest(),
                info.baseModel(),
                info.configHash(),
                info.metrics(),
                steps,
                training,
                info.datasetName(),
                info.datasetVersion()));
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(Manifest.FILE).toFile(), manifest);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    return manifest;
  }
}
