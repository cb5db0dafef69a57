package dev.conveyor.ingest.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.ingest.repository.DatasetVersionRepository;
import dev.conveyor.ingest.repository.SourceState;
import dev.conveyor.ingest.repository.SourceStateRepository;
import dev.conveyor.ingest.repository.VersionRow;
import dev.conveyor.ingest.service.IngestService;
import dev.conveyor.ingest.service.RunResult;
import dev.conveyor.ingest.source.Source;
import dev.conveyor.ingest.source.SourceRegistry;
import dev.conveyor.web.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** On-demand pulls and what the service holds. */
@Path("/ingest")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class IngestResource {
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final IngestService ingest;
  private final SourceRegistry sources;
  private final SourceStateRepository states;
  private final DatasetVersionRepository versions;

  public IngestResource(
      IngestService ingest,
      SourceRegistry sources,
      SourceStateRepository states,
      DatasetVersionRepository versions) {
    this.ingest = ingest;
    this.sources = sources;
    this.versions = versions;
    this.states = states;
  }

  /** Body of {@code POST /ingest/runs}: which source to pull (all when absent). */
  public record RunRequest(String source) {}

  @POST
  @Path("/runs")
  @RolesAllowed("admin")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Pull now: one source or all; returns what each pull did")
  public RunResult run(
      @RequestBody(description = "optional {\"source\": \"<name>\"}") String body) {
    RunRequest request = parse(body);
    if (request.source() != null && sources.find(request.source()).isEmpty()) {
      throw new ProblemException(
          400,
          "Unknown source",
          "unknown source '"
              + request.source()
              + "'; configured: "
              + sources.all().stream().map(Source::name).toList());
    }
    return ingest.run(Optional.ofNullable(request.source()), "manual");
  }

  @GET
  @Path("/sources")
  @RolesAllowed({"admin", "viewer"})
  @Operation(summary = "Configured sources and where each pull got to")
  public List<Map<String, Object>> sources() throws SQLException {
    return sources.all().stream()
        .map(
            s -> {
              SourceState st;
              try {
                st = states.find(s.name());
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
              java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
              m.put("name", s.name());
              m.put("type", s.type());
              m.put("location", s.location());
              m.put("dataset", s.dataset());
              m.put("format", s.format());
              m.put("state", st);
              return m;
            })
        .toList();
  }

  @GET
  @Path("/datasets/{dataset}/versions")
  @RolesAllowed({"admin", "viewer"})
  @Operation(summary = "Versions of a dataset, oldest first, with publish state")
  public List<VersionRow> versions(@PathParam("dataset") String dataset) throws SQLException {
    return versions.all(dataset);
  }

  private static RunRequest parse(String body) {
    if (body == null || body.isBlank()) {
      return new RunRequest(null);
    }
    try {
      RunRequest r = STRICT.readValue(body, RunRequest.class);
      if (r == null) {
        return new RunRequest(null);
      }
      if (r.source() != null && r.source().isBlank()) {
        throw ProblemException.badRequest("source must not be blank");
      }
      return r;
    } catch (IOException e) {
      throw ProblemException.badRequest(
          "body must be {\"source\": \"<name>\"}: "
              + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
