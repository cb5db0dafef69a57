package dev.conveyor.trainer.rest;

import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.trainer.messaging.TrainerEventPublisher;
import dev.conveyor.trainer.repository.RunState;
import dev.conveyor.trainer.repository.RunStateRepository;
import dev.conveyor.trainer.service.ActiveRun;
import dev.conveyor.trainer.service.InvalidConfigException;
import dev.conveyor.trainer.service.TrainerService;
import dev.conveyor.web.Problem;
import dev.conveyor.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

/**
 * Training runs: request one by hand (admin; published to {@code train-requested}, never trained
 * here directly) and read a run's state (state lives in S3, the live curve in this instance).
 */
@Path("/runs")
public class RunResource {
  static final String PROBLEM = Problem.MEDIA_TYPE;
  private static final Logger LOG = Logger.getLogger(RunResource.class);
  private final RunStateRepository states;
  private final TrainerService trainer;
  private final TrainerEventPublisher publisher;

  public RunResource(
      RunStateRepository states, TrainerService trainer, TrainerEventPublisher publisher) {
    this.states = states;
    this.trainer = trainer;
    this.publisher = publisher;
  }

  @POST
  @RolesAllowed("admin")
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, PROBLEM})
  @Operation(
      summary = "Request a training run",
      description =
          "Publishes a train-requested event (requestedBy = the caller); the trainer consumes it"
              + " like any other request. 202 once the broker has it, with the run id it maps to.")
  @APIResponse(responseCode = "202", description = "published")
  @APIResponse(responseCode = "400", description = "bad body, unknown config key or bad value")
  @APIResponse(responseCode = "401", description = "no admin credentials")
  @APIResponse(responseCode = "403", description = "not the admin role")
  public Response request(
      @RequestBody(
              description =
                  "{\"model\", \"dataset\": {\"name\", \"version\", \"digest\"}, \"baseModel\"?,"
                      + " \"config\"?, \"reason\"?: \"manual\" | \"config-change\"}")
          String body,
      @Context SecurityContext security) {
    TrainRequested req = ManualRequests.parse(body, security.getUserPrincipal().getName());
    String runId;
    try {
      runId = trainer.runIdOf(req);
    } catch (InvalidConfigException e) {
      throw ProblemException.badRequest(e.getMessage());
    }
    CloudEventMeta meta =
        CloudEventMeta.create(EventTypes.TRAIN_REQUESTED, Sources.TRAINER)
            .withExtension(CloudEventAttributes.RUN_ID, runId)
            .withExtension(CloudEventAttributes.DATASET_DIGEST, req.dataset().digest());
    try {
      publisher.trainRequested(req, meta).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(req, e);
    } catch (ExecutionException | TimeoutException e) {
      throw unavailable(req, e);
    }
    LOG.infof(
        "%s requested %s of %s on %s v%d (request %s, event %s)",
        req.requestedBy(),
        runId,
        req.model(),
        req.dataset().name(),
        req.dataset().version(),
        req.requestId(),
        meta.id());
    return Response.accepted(new RunAccepted(req.requestId(), meta.id(), runId))
        .type(MediaType.APPLICATION_JSON)
        .location(URI.create("/runs/" + runId))
        .build();
  }

  private static ProblemException unavailable(TrainRequested req, Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    LOG.warnf("request %s not published: %s", req.requestId(), cause.toString());
    return new ProblemException(
        503, "Service Unavailable", "train-requested could not be published; try again");
  }

  @GET
  @Path("/{id}")
  @Produces({MediaType.APPLICATION_JSON, PROBLEM})
  @Operation(summary = "State and loss curve of a run")
  public Response get(@PathParam("id") String id) {
    if (!id.matches("run-[0-9a-f]{12}")) {
      return notFound(id);
    }
    Optional<ActiveRun> live = trainer.active().filter(r -> r.runId().equals(id));
    Optional<RunState> stored = states.find(id);
    if (stored.isEmpty()) {
      return notFound(id);
    }
    RunState s = stored.get();
    RunView view =
        live.map(
                r ->
                    new RunView(
                        id,
                        r.request().model(),
                        "running",
                        true,
                        trainer.instanceId(),
                        s.attempts(),
                        r.step(),
                        r.totalSteps(),
                        r.tokensPerSecond(),
                        r.etaSeconds(),
                        r.losses(),
                        s.configHash(),
                        null,
                        null,
                        s.heartbeatAt()))
            .orElseGet(
                () ->
                    new RunView(
                        id,
                        s.request() == null ? null : s.request().model(),
                        s.status().name().toLowerCase(),
                        false,
                        s.owner(),
                        s.attempts(),
                        s.step(),
                        s.totalSteps(),
                        s.result() == null || s.result().metrics() == null
                            ? null
                            : s.result().metrics().tokensPerSecond(),
                        null,
                        s.losses(),
                        s.configHash(),
                        s.reason(),
                        s.result() == null ? null : s.result().artifact(),
                        s.heartbeatAt()));
    return Response.ok(view, MediaType.APPLICATION_JSON).build();
  }

  private static Response notFound(String id) {
    return Problem.response(404, "Not Found", "no training run '" + id + "'", "/runs/" + id)
        .build();
  }
}
