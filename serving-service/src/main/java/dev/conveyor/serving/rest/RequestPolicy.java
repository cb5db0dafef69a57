package dev.conveyor.serving.rest;

import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.serving.config.ServingConfig;
import dev.conveyor.serving.service.BatchScheduler;
import dev.conveyor.serving.service.GenerationTask;
import dev.conveyor.serving.service.ServingException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/** Checks a request against the limits and admits it to the batch queue. */
@ApplicationScoped
public class RequestPolicy {

  private static final Logger LOG = Logger.getLogger(RequestPolicy.class);
  private static final int MAX_STOP_CHARS = 64;

  private final ServingConfig config;
  private final BatchScheduler scheduler;

  public RequestPolicy(ServingConfig config, BatchScheduler scheduler) {
    this.config = config;
    this.scheduler = scheduler;
  }

  /**
   * Validated sampling parameters (nulls take the given defaults).
   *
   * @throws ServingException 400 naming the offending field
   */
  public GenerationOptions options(
      Integer maxTokens,
      Double temperature,
      Integer topK,
      Double topP,
      long seed,
      List<String> stop,
      double defaultTemperature) {
    var limits = config.limits();
    int max = maxTokens == null ? limits.defaultMaxTokens() : maxTokens;
    if (max < 1 || max > limits.maxTokens()) {
      throw ServingException.badRequest("max_tokens must be between 1 and " + limits.maxTokens());
    }
    double t = temperature == null ? defaultTemperature : temperature;
    if (!(t >= 0 && t <= 2)) {
      throw ServingException.badRequest("temperature must be between 0 and 2");
    }
    int k = topK == null ? 0 : topK;
    if (k < 0) {
      throw ServingException.badRequest("top_k must be >= 0");
    }
    double p = topP == null ? 1.0 : topP;
    if (!(p > 0 && p <= 1)) {
      throw ServingException.badRequest("top_p must be in (0, 1]");
    }
    List<String> stops = stop == null ? List.of() : stop;
    if (stops.size() > limits.maxStopSequences()) {
      throw ServingException.badRequest(
          "at most " + limits.maxStopSequences() + " stop sequences are allowed");
    }
    for (String s : stops) {
      if (s == null || s.isEmpty() || s.length() > MAX_STOP_CHARS) {
        throw ServingException.badRequest(
            "stop sequences must be 1 to " + MAX_STOP_CHARS + " characters");
      }
    }
    return GenerationOptions.sampling(max, t, k, p, seed).withStopSequences(stops);
  }

  /** A seed for requests that did not send one (echoed back so the answer can be reproduced). */
  public static long seedOrRandom(Long seed) {
    return seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 53);
  }

  /**
   * Checks the prompt and queues the request.
   *
   * @throws ServingException 400 for a bad prompt, 503 without a model, 429 when the queue is full
   */
  public GenerationTask admit(
      String prompt, GenerationOptions options, Consumer<String> tokens, Traceparent trace) {
    var limits = config.limits();
    if (prompt == null || prompt.isBlank()) {
      throw ServingException.badRequest("prompt is required");
    }
    if (prompt.length() > limits.maxPromptChars()) {
      throw ServingException.badRequest(
          "prompt has " + prompt.length() + " characters; the limit is " + limits.maxPromptChars());
    }
    int tokens0 = scheduler.promptTokens(prompt);
    if (tokens0 < 0) {
      throw ServingException.noModel();
    }
    if (tokens0 > limits.maxPromptTokens()) {
      throw ServingException.badRequest(
          "prompt has " + tokens0 + " tokens; the limit is " + limits.maxPromptTokens());
    }
    MDC.put("traceId", trace.traceId());
    try {
      // lengths only: prompt text stays out of logs at info level
      LOG.debugf("prompt: %s", prompt);
      GenerationTask task = new GenerationTask(prompt, options, tokens, trace.traceId());
      scheduler.submit(task);
      LOG.debugf("admitted %d prompt tokens, max_tokens %d", tokens0, options.maxTokens());
      return task;
    } finally {
      MDC.remove("traceId");
    }
  }
}
