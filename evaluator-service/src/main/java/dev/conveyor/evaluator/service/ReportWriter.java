package dev.conveyor.evaluator.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Writes the transparency report of an evaluation to {@code reports/<model>/<evaluation-id>.json}
 * (and a Markdown view beside it): every example's prompt, reference, outputs and sentence BLEU,
 * worst first.
 */
@ApplicationScoped
public class ReportWriter {
  static final int MARKDOWN_ROWS = 50;
  private static final ObjectMapper JSON =
      // the contract's mapper writes enums and instants as the wire format does
      EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
  private final ObjectStore store;

  public ReportWriter(ObjectStore store) {
    this.store = store;
  }

  /** The key of an evaluation's JSON report. */
  public static String key(String model, String evaluationId) {
    return "reports/" + model + "/" + evaluationId + ".json";
  }

  /** The URI the report will have once written. */
  public String uri(String model, String evaluationId) {
    return store.uri(key(model, evaluationId));
  }

  /**
   * Writes the JSON and Markdown reports; {@code evaluation.reportUri()} names the JSON.
   *
   * @param deltaConfidence the level of {@code evaluation.deltaInterval()}
   */
  public void write(
      ModelEvaluated evaluation, List<Example> examples, Timings timings, double deltaConfidence) {
    List<Example> sorted = new ArrayList<>(examples);
    sorted.sort(Comparator.comparingDouble(Example::sortKey));
    Report report = new Report(evaluation, deltaConfidence, timings, sorted);
    String key = key(evaluation.model(), evaluation.evaluationId());
    try {
      store.put(key, JSON.writeValueAsBytes(report), "application/json");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    store.put(
        key.replaceFirst("\\.json$", ".md"),
        markdown(report).getBytes(StandardCharsets.UTF_8),
        "text/markdown; charset=utf-8");
  }

  static String markdown(Report r) {
    ModelEvaluated e = r.evaluation();
    StringBuilder md = new StringBuilder();
    md.append("# Evaluation ")
        .append(e.evaluationId())
        .append(" of ")
        .append(e.model())
        .append("\n\n");
    md.append("- kind: ").append(e.kind().wire()).append('\n');
    md.append("- verdict: **").append(e.verdict().wire()).append("**\n");
    md.append("- dataset: ")
        .append(e.dataset().name())
        .append(" v")
        .append(e.dataset().version())
        .append(" (")
        .append(e.testExamples())
        .append(" test examples)\n");
    if (e.candidate() != null) {
      md.append(fmt("- candidate BLEU: %.2f%n", e.candidate().bleu()));
    }
    if (e.champion() != null) {
      md.append(fmt("- champion v%s BLEU: %.2f%n", e.champion().version(), e.champion().bleu()));
    }
    if (e.delta() != null) {
      md.append(fmt("- delta: %.2f, p-value: %.4f", e.delta(), e.pValue()));
      if (e.deltaInterval() != null) {
        md.append(
            fmt(
                ", %s interval of the delta: [%.2f, %.2f]",
                GateRules.percent(r.deltaConfidence()),
                e.deltaInterval().low(),
                e.deltaInterval().high()));
      }
      md.append('\n');
    }
    md.append("- signature: `").append(e.signature()).append("`\n");
    md.append(
        fmt(
            "- time: generation %d ms, BLEU %d ms%n%n",
            r.timings().generationMillis(), r.timings().bleuMillis()));
    md.append("## Reasons\n\n");
    e.reasons().forEach(reason -> md.append("- ").append(reason).append('\n'));
    md.append("\n## Worst examples (")
        .append(Math.min(MARKDOWN_ROWS, r.examples().size()))
        .append(" of ")
        .append(r.examples().size())
        .append(")\n\n");
    md.append("| # | prompt | reference | candidate | BLEU | champion | BLEU |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    int n = 0;
    for (Example x : r.examples()) {
      if (n++ >= MARKDOWN_ROWS) {
        break;
      }
      md.append("| ")
          .append(n)
          .append(" | ")
          .append(cell(x.prompt()))
          .append(" | ")
          .append(cell(x.reference()))
          .append(" | ")
          .append(cell(x.candidate()))
          .append(" | ")
          .append(x.candidateBleu() == null ? "" : fmt("%.1f", x.candidateBleu()))
          .append(" | ")
          .append(cell(x.champion()))
          .append(" | ")
          .append(x.championBleu() == null ? "" : fmt("%.1f", x.championBleu()))
          .append(" |\n");
    }
    return md.toString();
  }

  private static String cell(String s) {
    if (s == null) {
      return "";
    }
    String one = s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
    return one.length() > 120 ? one.substring(0, 117) + "..." : one;
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }

  /** How long the evaluation's parts took. */
  public record Timings(long generationMillis, long bleuMillis, long totalMillis) {}

  /** One test example with both outputs and their sentence BLEU (null where not generated). */
  public record Example(
      String id,
      String prompt,
      String reference,
      String candidate,
      Double candidateBleu,
      String champion,
      Double championBleu) {

    // worst first: by the candidate's sentence BLEU, or the champion's in a champion check
    double sortKey() {
      return candidateBleu != null ? candidateBleu : championBleu != null ? championBleu : 0;
    }
  }

  /**
   * The stored report.
   *
   * @param deltaConfidence the level of the evaluation's {@code deltaInterval}
   */
  public record Report(
      ModelEvaluated evaluation, double deltaConfidence, Timings timings, List<Example> examples) {}
}
