package dev.conveyor.trainer.service;

import dev.conveyor.events.BaseModel;
import dev.conveyor.storage.Digests;
import java.nio.charset.StandardCharsets;

/** A run's identity: the same model, data, base and config always give the same run id. */
public final class RunIdentity {
  private RunIdentity() {}

  /**
   * {@code run-} + the first 12 hex of sha256(model | dataset digest | base label:digest | config
   * hash). The model name is included so two models that share data and defaults stay apart.
   */
  public static String runId(
      String model, String datasetDigest, BaseModel base, String configHash) {
    String baseId = base.label() + ":" + (base.artifact() == null ? "-" : base.artifact().digest());
    String key = model + "|" + datasetDigest + "|" + baseId + "|" + configHash;
    String hex =
        Digests.of(key.getBytes(StandardCharsets.UTF_8)).substring(Digests.PREFIX.length());
    return "run-" + hex.substring(0, 12);
  }
}
