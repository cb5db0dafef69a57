package dev.conveyor.registry.rest;

import dev.conveyor.storage.ObjectStore;
import dev.conveyor.web.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Serves artifacts, reports and manifests from the bucket so the page can link to them. */
@Path("/objects")
@PermitAll
@Tag(name = "ui")
public class ObjectsResource {
  static final List<String> PREFIXES = List.of("models/", "runs/", "reports/", "datasets/");
  private final ObjectStore store;

  public ObjectsResource(ObjectStore store) {
    this.store = store;
  }

  @GET
  @Blocking
  @Operation(summary = "Download an object by its s3:// URI (models/, runs/, reports/, datasets/)")
  public Response get(@QueryParam("uri") String uri) {
    String key;
    try {
      key = store.keyOf(uri);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest(e.getMessage());
    }
    if (key.contains("..") || PREFIXES.stream().noneMatch(key::startsWith)) {
      throw ProblemException.badRequest("only " + PREFIXES + " can be downloaded: " + uri);
    }
    if (!store.exists(key)) {
      throw ProblemException.notFound(uri + " does not exist");
    }
    byte[] data = store.get(key);
    String name = key.substring(key.lastIndexOf('/') + 1);
    String type =
        name.endsWith(".json")
            ? "application/json"
            : name.endsWith(".gz") ? "application/gzip" : "application/octet-stream";
    Response.ResponseBuilder r = Response.ok(data, type);
    if (!name.endsWith(".json")) {
      r.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }
    return r.build();
  }
}
