package dev.conveyor.evaluator.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.conveyor.events.ArtifactRef;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The part of registry-service's REST API the evaluator reads. */
@Path("/models")
public interface RegistryClient {

  /** The champion alias of a model; 404 when it has none. */
  @GET
  @Path("/{name}/aliases/champion")
  @Produces(MediaType.APPLICATION_JSON)
  Response champion(@PathParam("name") String name);

  /** The registry's champion view; unknown fields are ignored so the registry may grow it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Champion(
      String model,
      long version,
      String runId,
      ArtifactRef artifact,
      String datasetDigest,
      String evaluationId,
      Double bleu) {}
}
