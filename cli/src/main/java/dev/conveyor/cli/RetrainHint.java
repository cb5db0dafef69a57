package dev.conveyor.cli;

import dev.conveyor.events.BaseModel;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import java.util.Map;

/** The kcat command that requests a retrain by hand, as events/README.md documents it. */
final class RetrainHint {
  private RetrainHint() {}

  static String kcat(String model, DatasetRef dataset) {
    TrainRequested request =
        new TrainRequested(
            "manual-001",
            model,
            dataset,
            BaseModel.scratch(),
            Map.of("steps", 400),
            TrainRequested.Reason.MANUAL,
            "kcat");
    return "echo '"
        + EventCodec.encode(request)
        + "' |\n"
        + "  kcat -b \"$KAFKA_BOOTSTRAP_SERVERS\" -P -t "
        + Topics.TRAIN_REQUESTED
        + " -k "
        + model
        + " \\\n"
        + "    -H ce_specversion=1.0 -H ce_id=\"manual-$(date +%s%N)\" -H ce_source=/users/kcat \\\n"
        + "    -H ce_type="
        + EventTypes.TRAIN_REQUESTED.ceType()
        + " -H ce_time=\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \\\n"
        + "    -H content-type=application/json";
  }
}
