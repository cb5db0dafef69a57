package dev.conveyor.trainer.rest;

import dev.conveyor.trainer.repository.RunState;
import dev.conveyor.trainer.repository.RunStateRepository;
import dev.conveyor.trainer.service.ActiveRun;
import dev.conveyor.trainer.service.TrainerService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Read-only view of training runs (state lives in S3, the live curve in this instance). */
@Path("/runs")
public class RunResource {
  static final String PROBLEM = "application/problem+json";
  private final RunStateRepository states;
  private final TrainerService trainer;

  public RunResource(RunStateRepository states, TrainerService trainer) {
    this.states = states;
    this.trainer = trainer;
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
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", "Not Found");
    problem.put("status", 404);
    problem.put("detail", "no training run '" + id + "'");
    problem.put("instance", "/runs/" + id);
    return Response.status(404).type(PROBLEM).entity(problem).build();
  }
}
