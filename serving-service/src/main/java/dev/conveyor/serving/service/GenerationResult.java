package dev.conveyor.serving.service;

/**
 * The answer to one request and its provenance.
 *
 * @param text generated text
 * @param finishReason {@code stop}, {@code length} or {@code context_length}
 * @param promptTokens prompt tokens fed to the model
 * @param completionTokens tokens generated
 * @param model the model that produced it
 * @param queueMillis time spent waiting for a batch
 * @param latencyMillis time from admission to the last token
 * @param batchSize how many requests were decoded together
 */
public record GenerationResult(
    String text,
    String finishReason,
    int promptTokens,
    int completionTokens,
    ModelIdentity model,
    long queueMillis,
    long latencyMillis,
    int batchSize) {}
