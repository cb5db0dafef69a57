package dev.conveyor.model.generate;

import java.util.List;

/**
 * The result for one prompt.
 *
 * @param text generated text, without end-of-text and cut before any stop sequence
 * @param tokenIds generated token ids (including a final end-of-text, if emitted)
 * @param promptTokens tokens of the prompt as fed to the model (after any left truncation)
 * @param completionTokens number of generated tokens
 * @param finishReason why it ended
 */
public record Completion(
    String text,
    List<Integer> tokenIds,
    int promptTokens,
    int completionTokens,
    FinishReason finishReason) {}
