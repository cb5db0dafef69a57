package dev.conveyor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.Ports;
import dev.conveyor.localstack.ServiceProcess;
import dev.conveyor.localstack.testing.Await;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.S3Config;
import io.minio.MinioClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real {@code kill -9} of the packaged service mid-training: the restarted service resumes the
 * run from its last checkpoint in S3 (log and step counter prove it) and publishes exactly one
 * model-trained.
 */
class KillResumeIT {
  static final int STEPS = 100;

  @Test
  void aKilledRunResumesFromItsCheckpointAndFinishesOnce() throws Exception {
    LocalStack stack = LocalStackResource.shared();
    Map<String, String> cfg = stack.serviceConfig("postgres");
    ObjectStore store = store(cfg);
    TestKafka kafka = TestKafka.of(stack);
    DatasetRef data = Datasets.addOne(store, "add-one-it", 1, 200, 7);
    Path logs = Path.of("target", "it-logs");

    ServiceProcess first = start(stack, logs.resolve("first.log"));
    ServiceProcess second = null;
    try {
      TrainRequested req =
          new TrainRequested(
              "req-kill-" + System.nanoTime(),
              "smoke",
              data,
              BaseModel.scratch(),
              Map.of("steps", STEPS, "checkpointInterval", 10, "seed", 9),
              TrainRequested.Reason.MANUAL,
              "kill-test");
      kafka.publish(req);
      String latest =
          Await.until(
              () ->
                  // uploads run on their own thread: S3 gets the pointer just before the log line
                  first.output().contains("checkpoint at step")
                      ? store.list("runs/").stream()
                          .filter(k -> k.endsWith("/checkpoints/latest"))
                          .findFirst()
                          .orElse(null)
                      : null,
              Duration.ofSeconds(180),
              "a checkpoint in S3, logged (log: " + first.log() + ")");
      first.kill();
      String runId = latest.split("/")[1];
      assertTrue(
          kafka.events(EventTypes.MODEL_TRAINED, t -> t.runId().equals(runId)).isEmpty(),
          "the run finished before the kill; the test proves nothing");
      assertTrue(first.output().contains("checkpoint at step"), first.output());

      second = start(stack, logs.resolve("second.log"));
      ServiceProcess restarted = second;
      CloudEvent<ModelTrained> done =
          Await.until(
              () ->
                  kafka.events(EventTypes.MODEL_TRAINED, t -> t.runId().equals(runId)).stream()
                      .findFirst()
                      .orElse(null),
              Duration.ofSeconds(240),
              "model-trained after the restart (log: " + restarted.log() + ")");
      assertTrue(done.data().succeeded(), () -> done.data().outcome().reason());
      assertEquals(STEPS, done.data().metrics().steps());

      Matcher m =
          Pattern.compile("resuming " + runId + " from step (\\d+) of " + STEPS)
              .matcher(second.output());
      assertTrue(m.find(), "no resume line in " + second.log());
      long resumedAt = Long.parseLong(m.group(1));
      assertTrue(resumedAt >= 10 && resumedAt < STEPS, "resumed from step " + resumedAt);
      assertTrue(
          !second.output().contains("starting " + runId + " from scratch"),
          "the restart trained from scratch again");

      JsonNode state = new ObjectMapper().readTree(store.get("runs/" + runId + "/state.json"));
      assertEquals("SUCCEEDED", state.path("status").asText());
      assertEquals(2, state.path("attempts").asInt());
      assertEquals(STEPS, state.path("losses").size(), "the loss curve spans both processes");

      Thread.sleep(2000); // nothing else may follow
      List<CloudEvent<ModelTrained>> all =
          kafka.events(EventTypes.MODEL_TRAINED, t -> t.runId().equals(runId));
      assertEquals(1, all.size(), "exactly one model-trained");
    } finally {
      if (first.alive()) {
        first.kill();
      }
      if (second != null) {
        second.stop(Duration.ofSeconds(60));
      }
    }
  }

  /**
   * The packaged trainer ({@code target/quarkus-app}) as a child process: stack endpoints and
   * secrets in its environment, as {@code conveyor up} starts it.
   */
  static ServiceProcess start(LocalStack stack, Path log) throws Exception {
    Path jar =
        Path.of(System.getProperty("trainer.app.jar", "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();
    Map<String, String> env = new LinkedHashMap<>(stack.serviceEnv("postgres"));
    env.put("CONVEYOR_ADMIN_PASSWORD", "it-admin"); // required at start
    return ServiceProcess.start(
        "trainer-service",
        jar,
        1024,
        Ports.choose(0),
        Path.of("target", "it-work").toAbsolutePath(),
        log.toAbsolutePath(),
        env,
        List.of(
            "-Dconveyor.trainer.instance-id=trainer-it",
            "-Dconveyor.trainer.work-dir=" + Path.of("target", "it-work").toAbsolutePath(),
            "-Dconveyor.trainer.progress-interval=500ms",
            // a dead member must leave the group quickly so the restarted one gets the partitions
            "-Dmp.messaging.incoming.train-requested.session.timeout.ms=6000",
            "-Dmp.messaging.incoming.train-requested.heartbeat.interval.ms=1000"));
  }

  static ObjectStore store(Map<String, String> cfg) {
    S3Config s3 =
        new S3Config() {
          public String endpoint() {
            return cfg.get("conveyor.s3.endpoint");
          }

          public String accessKey() {
            return cfg.get("conveyor.s3.access-key");
          }

          public String secretKey() {
            return cfg.get("conveyor.s3.secret-key");
          }

          public String bucket() {
            return cfg.get("conveyor.s3.bucket");
          }

          public String region() {
            return "us-east-1";
          }
        };
    MinioClient client =
        MinioClient.builder()
            .endpoint(s3.endpoint())
            .region(s3.region())
            .credentials(s3.accessKey(), s3.secretKey())
            .build();
    return new ObjectStore(client, s3);
  }
}
