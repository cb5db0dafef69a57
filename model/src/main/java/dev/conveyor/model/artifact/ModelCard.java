package dev.conveyor.model.artifact;

import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.train.TrainingConfig;
import java.util.Map;
import java.util.TreeMap;

/** Renders the artifact's {@code README.md}: data, config, metrics, intended use, limitations. */
final class ModelCard {

  private ModelCard() {}

  static String render(
      ArtifactInfo info, ModelConfig model, TrainingConfig training, long steps, String template) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(info.name()).append(" (version ").append(info.version()).append(")\n\n");
    sb.append(
        "A GPT-style decoder-only language model trained with Conveyor (DJL on PyTorch).\n\n");
    sb.append("## Intended use\n\n")
        .append(
            or(
                info.intendedUse(),
                "Answering prompts in the style of its training data. Small research/demo model:"
                    + " not for factual, safety-critical or user-facing decisions."))
        .append("\n\n");
    sb.append("## Data\n\n")
        .append(or(info.dataDescription(), "Not described by the publisher."))
        .append("\n\n- Dataset digest: `")
        .append(or(info.datasetDigest(), "unknown"))
        .append("`\n- Base model: ")
        .append(info.baseModel() == null ? "none (trained from scratch)" : info.baseModel())
        .append("\n\n");
    sb.append("## Configuration\n\n| key | value |\n|---|---|\n");
    row(sb, "layers", model.layers());
    row(sb, "heads", model.heads());
    row(sb, "width", model.width());
    row(sb, "context length", model.contextLength());
    row(sb, "vocabulary", model.vocabSize());
    row(sb, "dropout", model.dropout());
    row(sb, "parameters", model.parameterCount());
    if (training != null) {
      row(sb, "steps", steps);
      row(sb, "batch size", training.batchSize());
      row(sb, "sequence length", training.sequenceLength());
      row(sb, "learning rate", training.learningRate());
      row(sb, "warm-up steps", training.warmupSteps());
      row(sb, "weight decay", training.weightDecay());
      row(sb, "seed", training.seed());
      row(sb, "LoRA", training.lora().enabled() ? training.lora().toString() + " (merged)" : "no");
    }
    row(sb, "config hash", "`" + or(info.configHash(), "unknown") + "`");
    sb.append("\n## Metrics\n\n");
    if (info.metrics().isEmpty()) {
      sb.append("None reported.\n");
    } else {
      sb.append("| metric | value |\n|---|---|\n");
      for (Map.Entry<String, Double> e : new TreeMap<>(info.metrics()).entrySet()) {
        row(sb, e.getKey(), e.getValue());
      }
    }
    sb.append("\n## Prompt format\n\n`")
        .append(template)
        .append("`; generation stops at `<|endoftext|>`.\n\n");
    sb.append(
            "## Limitations\n\nSmall model trained on a narrow dataset: it can produce fluent but")
        .append(" wrong text and knows nothing beyond its data.\n");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String k, Object v) {
    sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  private static String or(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s;
  }
}
