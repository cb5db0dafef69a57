package dev.conveyor.evaluator.rest;

import dev.conveyor.evaluator.repository.EvaluationRepository;
import dev.conveyor.evaluator.service.ChampionService;
import dev.conveyor.events.EventCodec;
import dev.conveyor.web.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Read-only view of the evaluator's state: published evaluations and the tracked champion. */
@Path("/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {
  private final EvaluationRepository repository;
  private final ChampionService champions;

  public EvaluationResource(EvaluationRepository repository, ChampionService champions) {
    this.repository = repository;
    this.champions = champions;
  }

  @GET
  @Path("/{model}/champion")
  @Operation(summary = "The champion the evaluator compares candidates with")
  public Response champion(@PathParam("model") String model) {
    return champions
        .champion(model)
        .map(c -> Response.ok(c).build())
        .orElseGet(() -> problem(404, "No champion", model + " has no champion yet"));
  }

  @GET
  @Path("/{model}/{evaluationId}")
  @Operation(summary = "A model-evaluated this service published")
  public Response evaluation(
      @PathParam("model") String model, @PathParam("evaluationId") String evaluationId) {
    return repository
        .find(model, evaluationId)
        .map(e -> Response.ok(EventCodec.encode(e)).build())
        .orElseGet(
            () ->
                problem(
                    404, "Evaluation not found", "no evaluation " + evaluationId + " of " + model));
  }

  private static Response problem(int status, String title, String detail) {
    return Problem.response(status, title, detail).build();
  }
}
