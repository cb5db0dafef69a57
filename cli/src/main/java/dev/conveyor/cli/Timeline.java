package dev.conveyor.cli;

import dev.conveyor.cli.system.Records;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.EventData;
import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.RollbackRequested;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.events.TrainingProgress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns Kafka records into one readable timeline line each. */
final class Timeline {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private Timeline() {}

  static String line(ConsumerRecord<String, byte[]> r) {
    Map<String, String> headers = Records.headers(r);
    String when = TIME.format(Instant.ofEpochMilli(r.timestamp()));
    String where = r.topic() + "/" + r.partition() + "@" + r.offset();
    if (r.topic().endsWith(Topics.DLQ_SUFFIX)) {
      return String.format(
          Locale.ROOT,
          "%s  %-26s key=%s id=%s  DEAD LETTER: %s",
          when,
          where,
          r.key(),
          headers.getOrDefault("ce_id", "-"),
          headers.getOrDefault(Topics.DLQ_REASON_HEADER, "(no reason header)"));
    }
    try {
      CloudEvent<?> event = CloudEventHeaders.read(r.topic(), headers, Records.value(r));
      return String.format(
          Locale.ROOT,
          "%s  %-26s %-18s key=%s id=%s  %s",
          when,
          where,
          shortType(event.meta().type()),
          r.key(),
          event.meta().id(),
          summary(event.data()));
    } catch (IllegalArgumentException e) {
      return String.format(
          Locale.ROOT, "%s  %-26s key=%s  MALFORMED: %s", when, where, r.key(), e.getMessage());
    }
  }

  private static String shortType(String ceType) {
    return ceType.replace("dev.conveyor.", "").replace(".v1", "");
  }

  /** A one-line human summary of an event's data. */
  static String summary(EventData data) {
    if (data instanceof DataArrived d) {
      return String.format(
          Locale.ROOT,
          "%s v%d: %d train / %d test / %d quarantined (parent %s, from %s)",
          d.dataset(),
          d.version(),
          d.counts().train(),
          d.counts().test(),
          d.counts().quarantined(),
          d.parentVersion() == null ? "none" : "v" + d.parentVersion(),
          d.source());
    } else if (data instanceof TrainRequested t) {
      return String.format(
          "train %s on %s v%d from %s, reason %s, by %s",
          t.model(),
          t.dataset().name(),
          t.dataset().version(),
          t.baseModel().label(),
          t.reason().wire(),
          t.requestedBy());
    } else if (data instanceof ModelTrained m) {
      if (!m.succeeded()) {
        return "run " + m.runId() + " FAILED: " + m.outcome().reason();
      }
      return String.format(
          Locale.ROOT,
          "run %s succeeded: loss %.3f, %d steps, %.0f tok/s, %.1f s",
          m.runId(),
          m.metrics().finalLoss(),
          m.metrics().steps(),
          m.metrics().tokensPerSecond(),
          m.metrics().durationMillis() / 1000.0);
    } else if (data instanceof ModelEvaluated e) {
      return evaluated(e);
    } else if (data instanceof ModelPromoted p) {
      return String.format(
          "%s v%d is champion (was %s), reason %s, by %s",
          p.model(),
          p.version(),
          p.previousVersion() == null ? "none" : "v" + p.previousVersion(),
          p.reason().wire(),
          p.actor());
    } else if (data instanceof RollbackRequested r) {
      return "roll back " + r.model() + " v" + r.fromVersion() + ": " + r.reason();
    } else if (data instanceof TrainingProgress p) {
      return String.format(
          Locale.ROOT,
          "run %s step %d/%d loss %.3f, %.0f tok/s, ETA %d s",
          p.runId(),
          p.step(),
          p.totalSteps(),
          p.loss(),
          p.tokensPerSecond(),
          p.etaSeconds());
    }
    return data.toString();
  }

  private static String evaluated(ModelEvaluated e) {
    String cand =
        e.candidate() == null ? "-" : String.format(Locale.ROOT, "%.2f", e.candidate().bleu());
    String champ =
        e.champion() == null
            ? "no champion"
            : String.format(
                Locale.ROOT,
                "champion %s %.2f",
                e.champion().version() == null ? "?" : "v" + e.champion().version(),
                e.champion().bleu());
    String p = e.pValue() == null ? "" : String.format(Locale.ROOT, ", p=%.4f", e.pValue());
    return String.format(
        "%s BLEU %s vs %s%s: %s (%s)",
        e.kind().wire(),
        cand,
        champ,
        p,
        e.verdict().wire().toUpperCase(Locale.ROOT),
        String.join("; ", e.reasons()));
  }
}
