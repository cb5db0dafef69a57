package dev.conveyor.registry.ui;

import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.List;

/** One entry of a model's timeline: a dataset, request, run, version, evaluation or alias move. */
@TemplateData
public record TimelineItem(
    Instant at,
    String kind,
    String id,
    String title,
    String badge,
    String badgeClass,
    List<Fact> facts,
    List<Link> links,
    LossCurve curve) {

  /** A labelled value. */
  @TemplateData
  public record Fact(String label, String value) {}

  /** A link to an artifact, report or JSON view. */
  @TemplateData
  public record Link(String label, String href) {}

  public String time() {
    return at == null ? "" : at.toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z");
  }
}
