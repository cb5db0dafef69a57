package dev.conveyor.trainer.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.conveyor.events.EventCodec;
import dev.conveyor.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;

/** Run state in S3 ({@code runs/<run-id>/state.json}): the trainer keeps no database. */
@ApplicationScoped
public class RunStateRepository {
  private static final ObjectMapper JSON =
      EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
  private final ObjectStore store;

  public RunStateRepository(ObjectStore store) {
    this.store = store;
  }

  /** {@code runs/<run-id>/}. */
  public static String prefix(String runId) {
    return "runs/" + runId + "/";
  }

  public Optional<RunState> find(String runId) {
    String key = prefix(runId) + "state.json";
    if (!store.exists(key)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(store.get(key), RunState.class));
    } catch (IOException e) {
      throw new IllegalStateException(store.uri(key) + " is not a run state: " + e.getMessage(), e);
    }
  }

  public void save(RunState state) {
    try {
      store.put(
          prefix(state.runId()) + "state.json", JSON.writeValueAsBytes(state), "application/json");
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the state of " + state.runId(), e);
    }
  }
}
