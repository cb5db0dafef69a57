package dev.conveyor.serving.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.conveyor.serving.service.GenerationResult;
import dev.conveyor.serving.service.ModelIdentity;

/**
 * The answer and everything needed to trace it: which model (name, version, dataset, artifact)
 * produced it, token counts, latency and the trace id.
 */
public record GenerateResponse(
    String id,
    String text,
    @JsonProperty("finish_reason") String finishReason,
    Usage usage,
    @JsonProperty("latency_ms") long latencyMillis,
    @JsonProperty("queue_ms") long queueMillis,
    @JsonProperty("batch_size") int batchSize,
    long seed,
    Model model,
    @JsonProperty("trace_id") String traceId) {

  /** Token counts. */
  public record Usage(
      @JsonProperty("prompt_tokens") int promptTokens,
      @JsonProperty("completion_tokens") int completionTokens,
      @JsonProperty("total_tokens") int totalTokens) {}

  /** The model that answered. */
  public record Model(
      String name,
      long version,
      @JsonProperty("dataset_digest") String datasetDigest,
      @JsonProperty("artifact_digest") String artifactDigest) {

    static Model of(ModelIdentity m) {
      return new Model(m.name(), m.version(), m.datasetDigest(), m.artifactDigest());
    }
  }

  static GenerateResponse of(String id, GenerationResult r, long seed, String traceId) {
    return new GenerateResponse(
        id,
        r.text(),
        r.finishReason(),
        new Usage(r.promptTokens(), r.completionTokens(), r.promptTokens() + r.completionTokens()),
        r.latencyMillis(),
        r.queueMillis(),
        r.batchSize(),
        seed,
        Model.of(r.model()),
        traceId);
  }
}
