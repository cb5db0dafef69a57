package dev.conveyor.trainer.rest;

/**
 * {@code 202} of {@code POST /runs}: the {@code train-requested} is on the broker.
 *
 * @param requestId {@code TrainRequested.requestId}, also in the run's {@code model-trained}
 * @param eventId the CloudEvents id of the published {@code train-requested}
 * @param runId the run the trainer will execute (or has executed: same data, base and config)
 */
public record RunAccepted(String requestId, String eventId, String runId) {}
