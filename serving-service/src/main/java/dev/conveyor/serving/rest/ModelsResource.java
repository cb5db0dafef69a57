package dev.conveyor.serving.rest;

import dev.conveyor.serving.service.ModelIdentity;
import dev.conveyor.serving.service.ModelSlot;
import dev.conveyor.serving.service.PostSwapWatch;
import dev.conveyor.serving.service.ServedModel;
import dev.conveyor.serving.service.SwapService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What this replica serves: OpenAI-style model list plus current/previous model, watch, swaps. */
@Path("/v1/models")
public class ModelsResource {

  private final ModelSlot slot;
  private final PostSwapWatch watch;
  private final SwapService swaps;

  public ModelsResource(ModelSlot slot, PostSwapWatch watch, SwapService swaps) {
    this.slot = slot;
    this.watch = watch;
    this.swaps = swaps;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The model serving requests, the warm previous one, the watch and recent swaps")
  public Map<String, Object> models() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", "list");
    List<Map<String, Object>> data = new ArrayList<>();
    slot.current().ifPresent(m -> data.add(describe(m)));
    body.put("data", data);
    body.put("current", slot.current().map(ModelsResource::describe).orElse(null));
    body.put("previous", slot.previous().map(ModelsResource::describe).orElse(null));
    body.put("watch", watch.status());
    body.put("swaps", swaps.history());
    return body;
  }

  private static Map<String, Object> describe(ServedModel m) {
    ModelIdentity id = m.identity();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("id", id.name() + ":" + id.version());
    d.put("object", "model");
    d.put("owned_by", "conveyor");
    d.put("name", id.name());
    d.put("version", id.version());
    d.put("dataset_digest", id.datasetDigest());
    d.put("artifact_digest", id.artifactDigest());
    d.put("artifact_uri", id.artifactUri());
    d.put("loaded_at", m.loadedAt().toString());
    return d;
  }
}
