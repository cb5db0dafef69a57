package dev.conveyor.registry.rest;

import dev.conveyor.registry.service.AdminService;
import dev.conveyor.registry.service.CatalogService;
import dev.conveyor.registry.service.TimelineService;
import dev.conveyor.registry.service.Views;
import dev.conveyor.web.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Models, versions, lineage and the champion alias; admin actions need the admin role. */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
@SecurityScheme(
    securitySchemeName = "admin",
    type = SecuritySchemeType.HTTP,
    scheme = "basic",
    description = "HTTP Basic; the user needs the admin role")
@APIResponse(
    responseCode = "404",
    description = "unknown model or version",
    content = @Content(mediaType = Problem.MEDIA_TYPE))
public class ModelsResource {
  public static final String ADMIN_ROLE = "admin";

  private final CatalogService catalog;
  private final TimelineService timeline;
  private final AdminService admin;
  private final SecurityIdentity identity;

  public ModelsResource(
      CatalogService catalog,
      TimelineService timeline,
      AdminService admin,
      SecurityIdentity identity) {
    this.catalog = catalog;
    this.timeline = timeline;
    this.admin = admin;
    this.identity = identity;
  }

  @GET
  @PermitAll
  @Operation(summary = "Every model with its champion and version counts")
  public Uni<List<Views.ModelSummary>> models() {
    return catalog.models();
  }

  @GET
  @Path("{name}")
  @PermitAll
  @Operation(summary = "One model")
  public Uni<Views.ModelSummary> model(@PathParam("name") String name) {
    return catalog.model(name);
  }

  @GET
  @Path("{name}/versions")
  @PermitAll
  @Operation(summary = "Every version of a model (registered, rejected, archived, pending)")
  public Uni<List<Views.Version>> versions(@PathParam("name") String name) {
    return catalog.versions(name);
  }

  @GET
  @Path("{name}/versions/{version}")
  @PermitAll
  @Operation(summary = "One version")
  public Uni<Views.Version> version(
      @PathParam("name") String name, @PathParam("version") long version) {
    return catalog.version(name, version);
  }

  @GET
  @Path("{name}/versions/{version}/lineage")
  @PermitAll
  @Operation(
      summary = "A version's lineage",
      description =
          "dataset version -> training request -> run (with loss curve) -> version ->"
              + " evaluations -> alias moves")
  public Uni<Views.Lineage> lineage(
      @PathParam("name") String name, @PathParam("version") long version) {
    return timeline.lineage(name, version);
  }

  @GET
  @Path("{name}/aliases/champion")
  @PermitAll
  @Operation(
      summary = "The current champion",
      description = "Derived from the alias history; serving calls this at start. 404 if none.")
  public Uni<Views.Champion> champion(@PathParam("name") String name) {
    return catalog.champion(name);
  }

  @GET
  @Path("{name}/aliases/champion/history")
  @PermitAll
  @Operation(summary = "Every move of the champion alias, oldest first")
  public Uni<List<Views.AliasMove>> championHistory(@PathParam("name") String name) {
    return catalog.championHistory(name);
  }

  @GET
  @Path("{name}/rollback-requests")
  @PermitAll
  @Operation(summary = "Every rollback-requested event for the model and what came of it")
  public Uni<List<Views.RollbackRequest>> rollbackRequests(@PathParam("name") String name) {
    return catalog.rollbackRequests(name);
  }

  @POST
  @Path("{name}/versions/{version}/promote")
  @RolesAllowed(ADMIN_ROLE)
  @SecurityRequirement(name = "admin")
  @Operation(summary = "Make a version the champion (reason manual); publishes model-promoted")
  @APIResponse(responseCode = "200", description = "the appended alias move")
  @APIResponse(responseCode = "401", description = "no credential")
  @APIResponse(responseCode = "403", description = "not an admin")
  @APIResponse(responseCode = "409", description = "archived, rejected or already champion")
  public Uni<Views.AliasMove> promote(
      @PathParam("name") String name,
      @PathParam("version") long version,
      @QueryParam("note") String note) {
    return admin.promote(name, version, actor(), note == null ? "manual promotion" : note);
  }

  @POST
  @Path("{name}/aliases/champion/rollback")
  @RolesAllowed(ADMIN_ROLE)
  @SecurityRequirement(name = "admin")
  @Operation(
      summary = "Move the champion back to the one before it (reason rollback)",
      description = "The previous champion per the alias history; publishes model-promoted.")
  @APIResponse(responseCode = "200", description = "the appended alias move")
  @APIResponse(responseCode = "401", description = "no credential")
  @APIResponse(responseCode = "403", description = "not an admin")
  @APIResponse(responseCode = "409", description = "no champion or nothing to roll back to")
  public Uni<Views.AliasMove> rollback(
      @PathParam("name") String name, @QueryParam("note") String note) {
    return admin.rollback(name, actor(), note == null ? "manual rollback" : note);
  }

  @POST
  @Path("{name}/versions/{version}/archive")
  @RolesAllowed(ADMIN_ROLE)
  @SecurityRequirement(name = "admin")
  @Operation(summary = "Archive a version; it can never be promoted again")
  @APIResponse(responseCode = "200", description = "the archived version")
  @APIResponse(responseCode = "401", description = "no credential")
  @APIResponse(responseCode = "403", description = "not an admin")
  @APIResponse(responseCode = "409", description = "the version is the champion")
  public Uni<Views.Version> archive(
      @PathParam("name") String name, @PathParam("version") long version) {
    return admin.archive(name, version, actor());
  }

  private String actor() {
    return "user:" + identity.getPrincipal().getName();
  }
}
