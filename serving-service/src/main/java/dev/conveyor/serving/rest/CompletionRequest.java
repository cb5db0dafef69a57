package dev.conveyor.serving.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * OpenAI-style {@code POST /v1/completions} body. {@code prompt} and {@code stop} may be a string
 * or an array (one prompt per request); {@code top_k} is an extension.
 */
public record CompletionRequest(
    String model,
    JsonNode prompt,
    @JsonProperty("max_tokens") Integer maxTokens,
    Double temperature,
    @JsonProperty("top_p") Double topP,
    @JsonProperty("top_k") Integer topK,
    Integer n,
    Boolean stream,
    JsonNode stop,
    Long seed,
    String user) {}
