package dev.conveyor.serving.service;

import dev.conveyor.model.generate.GenerationOptions;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One admitted request waiting for (or in) the running batch. Completing its {@link #result()} from
 * the outside (timeout, client gone) cancels it: the batch thread drops its row at the next step.
 */
public final class GenerationTask {

  private final String prompt;
  private final GenerationOptions options;
  private final Consumer<String> tokens;
  private final String traceId;
  private final long enqueuedNanos = System.nanoTime();
  private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
  // written and read by the batch thread only
  private long joinedNanos;
  private int batchSize;

  /**
   * @param tokens receives each text delta as it is decoded (on the batch thread: must not block),
   *     or null
   * @param traceId W3C trace id of the request, for logs
   */
  public GenerationTask(
      String prompt, GenerationOptions options, Consumer<String> tokens, String traceId) {
    this.prompt = prompt;
    this.options = options;
    this.tokens = tokens;
    this.traceId = traceId;
  }

  public String prompt() {
    return prompt;
  }

  public GenerationOptions options() {
    return options;
  }

  public String traceId() {
    return traceId;
  }

  long enqueuedNanos() {
    return enqueuedNanos;
  }

  /** True when the client wants text deltas as they are decoded. */
  boolean streams() {
    return tokens != null;
  }

  void joined(long nanos) {
    joinedNanos = nanos;
  }

  long queueMillis() {
    return Math.max(0, (joinedNanos - enqueuedNanos) / 1_000_000);
  }

  /** Records the rows decoded together in one of this request's steps (the largest is kept). */
  void batched(int rows) {
    batchSize = Math.max(batchSize, rows);
  }

  int batchSize() {
    return batchSize;
  }

  void onToken(String delta) {
    if (tokens != null && !delta.isEmpty()) {
      tokens.accept(delta);
    }
  }

  /** Completes with the answer, or exceptionally (timeouts complete it from the outside). */
  public CompletableFuture<GenerationResult> result() {
    return result;
  }
}
