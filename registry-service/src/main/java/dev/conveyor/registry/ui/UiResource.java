package dev.conveyor.registry.ui;

import dev.conveyor.registry.service.CatalogService;
import dev.conveyor.registry.service.TimelineService;
import dev.conveyor.registry.service.Views;
import dev.conveyor.web.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The registry's web page: every model, and per model a timeline of its lineage. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@PermitAll
@Tag(name = "ui")
public class UiResource {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance index(List<Views.ModelSummary> models);

    static native TemplateInstance model(ModelPage page);
  }

  private final CatalogService catalog;
  private final TimelineService timeline;

  public UiResource(CatalogService catalog, TimelineService timeline) {
    this.catalog = catalog;
    this.timeline = timeline;
  }

  @GET
  @Operation(summary = "The models page (HTML)")
  public Uni<TemplateInstance> index() {
    return catalog.models().map(Templates::index);
  }

  @GET
  @Path("ui/models/{name}")
  @Operation(summary = "One model's timeline page (HTML)")
  public Uni<TemplateInstance> model(@PathParam("name") String name) {
    return timeline
        .timeline(name)
        .chain(
            t ->
                catalog
                    .champion(name)
                    .onFailure(ProblemException.class)
                    .recoverWithNull()
                    .map(champion -> Templates.model(ModelPage.of(t, champion))));
  }
}
