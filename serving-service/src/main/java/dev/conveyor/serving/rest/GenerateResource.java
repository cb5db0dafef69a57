package dev.conveyor.serving.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.serving.config.ServingConfig;
import dev.conveyor.serving.service.GenerationResult;
import dev.conveyor.serving.service.GenerationTask;
import dev.conveyor.serving.service.ServingException;
import dev.conveyor.web.Problem;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The generation API: one JSON answer, or the same as Server-Sent Events token by token. */
@Path("/v1/generate")
@Consumes(MediaType.APPLICATION_JSON)
public class GenerateResource {

  /** Header naming the model that answered ({@code name:version}). */
  public static final String MODEL_HEADER = "X-Conveyor-Model";

  /** Header carrying the dataset digest of the model that answered. */
  public static final String DATASET_HEADER = "X-Conveyor-Dataset-Digest";

  private static final double DEFAULT_TEMPERATURE = 0.7;

  private final RequestPolicy policy;
  private final ServingConfig config;
  private final ObjectMapper json;

  public GenerateResource(RequestPolicy policy, ServingConfig config, ObjectMapper json) {
    this.policy = policy;
    this.config = config;
    this.json = json;
  }

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Complete a prompt with the current champion")
  @APIResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = GenerateResponse.class)))
  @APIResponse(responseCode = "400", description = "invalid request (problem+json)")
  @APIResponse(responseCode = "429", description = "queue full; see Retry-After (problem+json)")
  @APIResponse(responseCode = "503", description = "no model loaded yet (problem+json)")
  @APIResponse(responseCode = "504", description = "request timed out (problem+json)")
  public Uni<Response> generate(
      GenerateRequest req,
      @HeaderParam(Traceparent.HEADER) String traceparent,
      @Context RoutingContext http) {
    GenerateRequest r = require(req);
    Traceparent trace = Traceparent.continueFrom(traceparent);
    long seed = RequestPolicy.seedOrRandom(r.seed());
    GenerationOptions options = options(r, seed);
    GenerationTask task =
        HangUp.cancelsOnClose(http, policy.admit(r.prompt(), options, null, trace));
    long timeout = config.limits().requestTimeout().toMillis();
    String id = "gen-" + UUID.randomUUID();
    return Uni.createFrom()
        .completionStage(task.result().orTimeout(timeout, TimeUnit.MILLISECONDS))
        .onFailure(TimeoutException.class)
        .transform(e -> ServingException.timeout(timeout))
        .onFailure(java.util.concurrent.CancellationException.class)
        .transform(e -> HangUp.gone())
        .map(res -> ok(GenerateResponse.of(id, res, seed, trace.traceId()), res, trace))
        // cancelled subscription (e.g. a shutdown): the row leaves the batch at the next step
        .onCancellation()
        .invoke(() -> task.result().cancel(false));
  }

  @POST
  @Path("/stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Blocking
  @Operation(
      summary = "Stream a completion as Server-Sent Events",
      description =
          "Events: `token` ({\"text\": delta}) per decoded piece, then `done` with the full"
              + " /v1/generate response (model, version, dataset digest, usage), or `error` with"
              + " a problem.")
  public Response stream(
      GenerateRequest req,
      @HeaderParam(Traceparent.HEADER) String traceparent,
      @Context RoutingContext http) {
    GenerateRequest r = require(req);
    Traceparent trace = Traceparent.continueFrom(traceparent);
    long seed = RequestPolicy.seedOrRandom(r.seed());
    GenerationOptions options = options(r, seed);
    String id = "gen-" + UUID.randomUUID();
    SseStream stream =
        new SseStream(
            new SseStream.Format() {
              @Override
              public String token(String delta) {
                return event("token", Map.of("text", delta));
              }

              @Override
              public String done(GenerationResult res) {
                return event("done", GenerateResponse.of(id, res, seed, trace.traceId()));
              }

              @Override
              public String error(ServingException e) {
                return event("error", Problem.of(e.status(), e.title(), e.getMessage(), null));
              }
            },
            config.limits().requestTimeout());
    stream.bind(policy.admit(r.prompt(), options, stream.tokens(), trace), HangUp.closed(http));
    return Response.ok(stream, MediaType.SERVER_SENT_EVENTS_TYPE)
        .header("Cache-Control", "no-cache")
        .header(Traceparent.HEADER, trace.header())
        .build();
  }

  private GenerationOptions options(GenerateRequest r, long seed) {
    return policy.options(
        r.maxTokens(), r.temperature(), r.topK(), r.topP(), seed, r.stop(), DEFAULT_TEMPERATURE);
  }

  static <T> T require(T body) {
    if (body == null) {
      throw ServingException.badRequest("a JSON body is required");
    }
    return body;
  }

  static Response ok(Object body, GenerationResult res, Traceparent trace) {
    return Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
        .header(MODEL_HEADER, res.model().name() + ":" + res.model().version())
        .header(DATASET_HEADER, res.model().datasetDigest())
        .header(Traceparent.HEADER, trace.header())
        .build();
  }

  String event(String name, Object data) {
    try {
      return "event: " + name + "\ndata: " + json.writeValueAsString(data) + "\n\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
