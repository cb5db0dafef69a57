package dev.conveyor.serving.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /v1/generate}: what to complete and how. Unset fields take defaults.
 *
 * @param prompt the prompt (required)
 * @param maxTokens most tokens to generate
 * @param temperature 0 = greedy
 * @param topK keep the k most likely tokens (0 = all)
 * @param topP nucleus mass (1 = all)
 * @param seed sampling seed (random when unset; echoed in the response)
 * @param stop stop sequences
 */
public record GenerateRequest(
    @Schema(required = true, example = "What is Conveyor?") String prompt,
    @JsonProperty("max_tokens") @Schema(example = "64") Integer maxTokens,
    @Schema(example = "0.7") Double temperature,
    @JsonProperty("top_k") @Schema(example = "40") Integer topK,
    @JsonProperty("top_p") @Schema(example = "0.95") Double topP,
    Long seed,
    List<String> stop) {}
