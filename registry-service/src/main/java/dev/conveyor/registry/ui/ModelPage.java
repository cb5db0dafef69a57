package dev.conveyor.registry.ui;

import dev.conveyor.registry.service.TimelineService;
import dev.conveyor.registry.service.Views;
import io.quarkus.qute.TemplateData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** What the model page shows: the champion and every lineage item in time order. */
@TemplateData
public record ModelPage(
    String name,
    Views.ModelSummary summary,
    Views.Champion champion,
    List<TimelineItem> items,
    int datasets,
    int runs,
    int versions,
    int evaluations,
    int moves) {

  public static ModelPage of(TimelineService.Timeline t, Views.Champion champion) {
    List<TimelineItem> items = new ArrayList<>();
    String model = t.model().name();
    for (Views.Dataset d : t.datasets()) {
      items.add(
          new TimelineItem(
              d.createdAt(),
              "dataset",
              "dataset-" + d.name() + "-" + d.version(),
              "Dataset " + d.name() + " v" + d.version(),
              "data",
              "b-data",
              List.of(
                  fact(
                      "train / test / quarantined",
                      d.train() + " / " + d.test() + " / " + d.quarantined()),
                  fact("parent", d.parentVersion() == null ? "none" : "v" + d.parentVersion()),
                  fact("source", d.source()),
                  fact("manifest digest", shortDigest(d.manifestDigest()))),
              List.of(link("manifest", d.manifestUri())),
              null));
    }
    for (Views.TrainRequest r : t.requests()) {
      items.add(
          new TimelineItem(
              r.requestedAt(),
              "request",
              "request-" + r.requestId(),
              "Training requested: " + r.requestId(),
              r.reason(),
              "b-request",
              List.of(
                  fact("dataset", r.dataset().name() + " v" + r.dataset().version()),
                  fact("base", r.baseModel()),
                  fact("by", r.requestedBy()),
                  fact("config", r.config())),
              List.of(),
              null));
    }
    for (Views.Run r : t.runs()) {
      List<TimelineItem.Fact> facts = new ArrayList<>();
      facts.add(fact("request", r.requestId()));
      facts.add(fact("dataset", r.dataset().name() + " v" + r.dataset().version()));
      facts.add(fact("base", r.baseModel()));
      if (r.finalLoss() != null) {
        facts.add(fact("final loss", String.format(Locale.ROOT, "%.4f", r.finalLoss())));
        facts.add(fact("steps", String.valueOf(r.steps())));
        facts.add(fact("tokens/s", String.format(Locale.ROOT, "%.0f", r.tokensPerSecond())));
        facts.add(
            fact("duration", String.format(Locale.ROOT, "%.1f s", r.durationMillis() / 1000.0)));
      }
      if (r.failureReason() != null) {
        facts.add(fact("failure", r.failureReason()));
      }
      items.add(
          new TimelineItem(
              r.finishedAt(),
              "run",
              "run-" + r.runId(),
              "Run " + r.runId(),
              r.status(),
              "succeeded".equals(r.status()) ? "b-ok" : "b-bad",
              facts,
              r.artifact() == null ? List.of() : List.of(link("run artifact", r.artifact().uri())),
              LossCurve.of(r.lossCurve())));
    }
    for (Views.Version v : t.versions()) {
      List<TimelineItem.Fact> facts = new ArrayList<>();
      facts.add(fact("run", v.runId()));
      facts.add(fact("digest", shortDigest(v.artifact().digest())));
      facts.add(fact("size", v.artifact().sizeBytes() + " bytes"));
      facts.add(fact("dataset", v.dataset().name() + " v" + v.dataset().version()));
      if (v.statusReason() != null) {
        facts.add(fact("reason", v.statusReason()));
      }
      items.add(
          new TimelineItem(
              v.createdAt(),
              "version",
              "version-" + v.version(),
              model + " v" + v.version() + (v.champion() ? "  \u2605 champion" : ""),
              v.status(),
              switch (v.status()) {
                case "registered" -> "b-ok";
                case "rejected" -> "b-bad";
                default -> "b-muted";
              },
              facts,
              List.of(
                  link("artifact", v.artifact().uri()),
                  new TimelineItem.Link(
                      "lineage (JSON)",
                      "/models/" + enc(model) + "/versions/" + v.version() + "/lineage")),
              null));
    }
    for (Views.Evaluation e : t.evaluations()) {
      List<TimelineItem.Fact> facts = new ArrayList<>();
      facts.add(fact("candidate", candidate(e)));
      facts.add(fact("candidate BLEU", num(e.candidateBleu(), "%.2f")));
      facts.add(
          fact(
              "champion BLEU",
              e.championBleu() == null
                  ? "none"
                  : num(e.championBleu(), "%.2f")
                      + (e.championVersion() == null ? "" : " (v" + e.championVersion() + ")")));
      facts.add(fact("delta", num(e.delta(), "%+.2f")));
      facts.add(fact("p-value", num(e.pValue(), "%.4f")));
      facts.add(fact("test examples", String.valueOf(e.testExamples())));
      facts.add(
          fact(
              "registry",
              e.decision() + (e.decisionReason() == null ? "" : ": " + e.decisionReason())));
      if (!e.reasons().isEmpty()) {
        facts.add(fact("gate", String.join("; ", e.reasons())));
      }
      items.add(
          new TimelineItem(
              e.receivedAt(),
              "evaluation",
              "evaluation-" + e.evaluationId(),
              ("champion-check".equals(e.kind()) ? "Champion check " : "Evaluation ")
                  + e.evaluationId(),
              e.verdict(),
              "passed".equals(e.verdict()) ? "b-ok" : "b-bad",
              facts,
              e.reportUri() == null ? List.of() : List.of(link("report", e.reportUri())),
              null));
    }
    for (Views.AliasMove m : t.moves()) {
      boolean rollback = "rollback".equals(m.reason());
      List<TimelineItem.Fact> facts = new ArrayList<>();
      facts.add(fact("from", m.fromVersion() == null ? "none" : "v" + m.fromVersion()));
      facts.add(fact("to", "v" + m.toVersion()));
      facts.add(fact("actor", m.actor()));
      if (m.evaluationId() != null) {
        facts.add(fact("evaluation", m.evaluationId()));
      }
      if (m.note() != null) {
        facts.add(fact("note", m.note()));
      }
      facts.add(fact("event id", m.eventId()));
      items.add(
          new TimelineItem(
              m.movedAt(),
              rollback ? "rollback" : "promotion",
              "move-" + m.id(),
              (rollback ? "Rolled back to v" : "Promoted v") + m.toVersion(),
              m.reason(),
              rollback ? "b-warn" : "b-ok",
              facts,
              List.of(),
              null));
    }
    for (Views.RollbackRequest r : t.rollbackRequests()) {
      if (!"refused".equals(r.outcome())) {
        continue; // a rollback that happened shows as its alias move
      }
      items.add(
          new TimelineItem(
              r.receivedAt(),
              "rollback-request",
              "rollback-request-" + r.requestId(),
              "Rollback request " + r.requestId() + " refused",
              "refused",
              "b-muted",
              List.of(
                  fact("from", "v" + r.fromVersion()),
                  fact("by", r.requestedBy()),
                  fact("reason", r.reason()),
                  fact("registry", r.outcomeReason())),
              List.of(),
              null));
    }
    items.sort(
        Comparator.comparing((TimelineItem i) -> i.at() == null ? Instant.EPOCH : i.at())
            .reversed());
    return new ModelPage(
        model,
        t.model(),
        champion,
        items,
        t.datasets().size(),
        t.runs().size(),
        t.versions().size(),
        t.evaluations().size(),
        t.moves().size());
  }

  /** A link that the registry serves from object storage. */
  public static String objectHref(String uri) {
    return "/objects?uri=" + enc(uri);
  }

  private static TimelineItem.Link link(String label, String uri) {
    return new TimelineItem.Link(label, objectHref(uri));
  }

  private static TimelineItem.Fact fact(String label, String value) {
    return new TimelineItem.Fact(label, value == null ? "" : value);
  }

  private static String candidate(Views.Evaluation e) {
    if (e.candidateRunId() == null && e.candidateVersion() == null) {
      return "none";
    }
    return (e.candidateVersion() == null ? "" : "v" + e.candidateVersion() + " ")
        + (e.candidateRunId() == null ? "" : "(run " + e.candidateRunId() + ")");
  }

  private static String num(Double d, String format) {
    return d == null ? "n/a" : String.format(Locale.ROOT, format, d);
  }

  static String shortDigest(String digest) {
    return digest == null || digest.length() < 20 ? digest : digest.substring(0, 19) + "\u2026";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
