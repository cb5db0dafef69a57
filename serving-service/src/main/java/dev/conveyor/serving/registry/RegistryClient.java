package dev.conveyor.serving.registry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The registry's champion lookup (built programmatically: the base URL is optional config). */
@Path("/models")
public interface RegistryClient {

  @GET
  @Path("/{name}/aliases/champion")
  @Produces(MediaType.APPLICATION_JSON)
  Champion champion(@PathParam("name") String name);
}
