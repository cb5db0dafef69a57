package dev.conveyor.serving.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.serving.config.ServingConfig;
import dev.conveyor.serving.service.GenerationResult;
import dev.conveyor.serving.service.GenerationTask;
import dev.conveyor.serving.service.ServingException;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** OpenAI-compatible completions, so existing clients work (streaming included). */
@Path("/v1/completions")
public class CompletionsResource {

  private static final double DEFAULT_TEMPERATURE = 1.0;
  private static final int DEFAULT_MAX_TOKENS = 16;

  private final RequestPolicy policy;
  private final ServingConfig config;
  private final ObjectMapper json;

  public CompletionsResource(RequestPolicy policy, ServingConfig config, ObjectMapper json) {
    this.policy = policy;
    this.config = config;
    this.json = json;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
  @Blocking
  @Operation(
      summary = "OpenAI-style text completion",
      description =
          "With stream=true the answer is Server-Sent Events of text_completion chunks ending with"
              + " `data: [DONE]`. The `conveyor` field names the model version and dataset.")
  public Response complete(
      CompletionRequest req,
      @HeaderParam(Traceparent.HEADER) String traceparent,
      @Context RoutingContext http) {
    CompletionRequest r = GenerateResource.require(req);
    if (r.n() != null && r.n() != 1) {
      throw ServingException.badRequest("only n=1 is supported");
    }
    String prompt = single(r.prompt(), "prompt");
    if (r.model() != null && !r.model().isBlank() && !servesModel(r.model())) {
      throw new ServingException(
          404,
          "Model not found",
          "this endpoint serves '" + config.modelName() + "', not '" + r.model() + "'");
    }
    Traceparent trace = Traceparent.continueFrom(traceparent);
    long seed = RequestPolicy.seedOrRandom(r.seed());
    GenerationOptions options =
        policy.options(
            r.maxTokens() == null ? DEFAULT_MAX_TOKENS : r.maxTokens(),
            r.temperature(),
            r.topK(),
            r.topP(),
            seed,
            stops(r.stop()),
            DEFAULT_TEMPERATURE);
    String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
    long created = System.currentTimeMillis() / 1000;
    if (Boolean.TRUE.equals(r.stream())) {
      return stream(prompt, options, id, created, trace, http);
    }
    GenerationTask task = HangUp.cancelsOnClose(http, policy.admit(prompt, options, null, trace));
    GenerationResult res = await(task);
    Map<String, Object> body =
        chunk(
            id,
            created,
            res.model().name() + ":" + res.model().version(),
            res.text(),
            openAiReason(res.finishReason()));
    body.put(
        "usage",
        Map.of(
            "prompt_tokens", res.promptTokens(),
            "completion_tokens", res.completionTokens(),
            "total_tokens", res.promptTokens() + res.completionTokens()));
    body.put("conveyor", GenerateResponse.of(id, res, seed, trace.traceId()));
    return GenerateResource.ok(body, res, trace);
  }

  private Response stream(
      String prompt,
      GenerationOptions options,
      String id,
      long created,
      Traceparent trace,
      RoutingContext http) {
    String modelName = config.modelName();
    SseStream stream =
        new SseStream(
            new SseStream.Format() {
              @Override
              public String token(String delta) {
                return data(chunk(id, created, modelName, delta, null));
              }

              @Override
              public String done(GenerationResult res) {
                Map<String, Object> last =
                    chunk(id, created, modelName, "", openAiReason(res.finishReason()));
                last.put("conveyor", GenerateResponse.of(id, res, options.seed(), trace.traceId()));
                return data(last);
              }

              @Override
              public String error(ServingException e) {
                return data(
                    Map.of(
                        "error",
                        Map.of("message", e.getMessage(), "type", e.title(), "code", e.status())));
              }

              @Override
              public String end() {
                return "data: [DONE]\n\n";
              }
            },
            config.limits().requestTimeout());
    stream.bind(policy.admit(prompt, options, stream.tokens(), trace), HangUp.closed(http));
    return Response.ok(stream, MediaType.SERVER_SENT_EVENTS_TYPE)
        .header("Cache-Control", "no-cache")
        .header(Traceparent.HEADER, trace.header())
        .build();
  }

  private GenerationResult await(GenerationTask task) {
    long timeout = config.limits().requestTimeout().toMillis();
    try {
      return task.result().get(timeout, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      task.result().completeExceptionally(ServingException.timeout(timeout));
      throw ServingException.timeout(timeout);
    } catch (java.util.concurrent.CancellationException e) {
      throw HangUp.gone();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServingException(503, "Interrupted", "the server is shutting down");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof CompletionException && c.getCause() != null) {
        c = c.getCause();
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(c);
    }
  }

  private boolean servesModel(String model) {
    return model.equals(config.modelName()) || model.startsWith(config.modelName() + ":");
  }

  private static Map<String, Object> chunk(
      String id, long created, String model, String text, String finishReason) {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("text", text);
    choice.put("index", 0);
    choice.put("logprobs", null);
    choice.put("finish_reason", finishReason);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("object", "text_completion");
    body.put("created", created);
    body.put("model", model);
    body.put("choices", List.of(choice));
    return body;
  }

  private static String openAiReason(String reason) {
    return "stop".equals(reason) ? "stop" : "length";
  }

  private static String single(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      throw ServingException.badRequest(field + " is required");
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray() && node.size() == 1 && node.get(0).isTextual()) {
      return node.get(0).asText();
    }
    throw ServingException.badRequest(field + " must be a string (or an array of one string)");
  }

  private static List<String> stops(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (node.isArray()) {
      List<String> out = new ArrayList<>();
      for (JsonNode n : node) {
        if (!n.isTextual()) {
          throw ServingException.badRequest("stop must be a string or an array of strings");
        }
        out.add(n.asText());
      }
      return out;
    }
    throw ServingException.badRequest("stop must be a string or an array of strings");
  }

  private String data(Object body) {
    try {
      return "data: " + json.writeValueAsString(body) + "\n\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
