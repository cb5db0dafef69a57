package dev.conveyor.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.DataArrived;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Topics;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.Ports;
import dev.conveyor.localstack.ServiceProcess;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.storage.Digests;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as a real process: killed with SIGKILL between writing the manifest and
 * publishing, it still publishes exactly one data-arrived after a restart; bad configuration stops
 * it at start-up with the setting named.
 */
class IngestCrashIT {
  private static final String DATASET = "crash-qa";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private final LocalStack stack = LocalStackResource.shared();
  private final TestKafka kafka = TestKafka.of(stack);

  @Test
  void aKillBetweenManifestAndPublishStillYieldsExactlyOneEvent() throws Exception {
    Path dir = Files.createDirectories(Path.of("target/crash-it/qa"));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      sb.append("Q: How many bells hang in tower ")
          .append(i)
          .append("?\nA: Tower ")
          .append(i)
          .append(" has ")
          .append(i % 7 + 1)
          .append(" bells.\n\n");
    }
    Files.writeString(dir.resolve("bells.txt"), sb.toString());

    ServiceProcess first =
        start("first", Map.of("conveyor.ingest.publish.pause-before-publish", "true"));
    try {
      first.awaitOutput("PAUSED before publishing data-arrived for crash-qa v1", WAIT);
      byte[] manifest = s3Get("datasets/crash-qa/v1/manifest.json");
      assertTrue(manifest.length > 0);
      assertEquals(0, dataArrived().size(), "nothing published before the kill");
    } finally {
      first.kill(); // SIGKILL: no shutdown hooks, no graceful close
    }
    assertEquals(137, first.exitValue(), "killed by SIGKILL");

    ServiceProcess second = start("second", Map.of());
    try {
      second.awaitOutput("published data-arrived crash-qa v1", WAIT);
      var events =
          kafka.awaitExactly(
              Topics.DATA_ARRIVED, r -> DATASET.equals(r.key()), 1, Duration.ofSeconds(60));
      assertEquals(1, events.size(), "exactly one data-arrived after the restart");
      DataArrived e = EventCodec.decode(EventTypes.DATA_ARRIVED, events.get(0).value());
      assertEquals(Digests.of(s3Get("datasets/crash-qa/v1/manifest.json")), e.manifestDigest());
      assertEquals(1, e.version());
      assertEquals(50, e.counts().train() + e.counts().test());
      assertTrue(Files.exists(dir.resolve("processed/bells.txt")));
    } finally {
      second.stop(Duration.ofSeconds(30));
    }
    ServiceProcess third = start("third", Map.of());
    try {
      third.awaitOutput("Installed features", WAIT);
      Thread.sleep(4000); // longer than the relay's first pass
      assertEquals(1, dataArrived().size(), "no re-publish once acknowledged");
    } finally {
      third.stop(Duration.ofSeconds(30));
    }
  }

  @Test
  void anUnknownSourceTypeFailsStartUpNamingTheSetting() throws Exception {
    ServiceProcess p =
        start(
            "badconfig",
            Map.of(
                "conveyor.ingest.sources.ftp.type",
                "ftp",
                "conveyor.ingest.sources.ftp.dataset",
                "x"));
    assertTrue(p.waitFor(WAIT), "start-up should fail, not hang");
    assertNotEquals(0, p.exitValue());
    String log = p.output();
    assertTrue(log.contains("conveyor.ingest.sources.ftp.type: unknown source type 'ftp'"), log);
  }

  /**
   * The packaged service with a directory source on {@link #DATASET}: stack endpoints and secrets
   * in its environment, the rest as {@code -D} settings.
   */
  private ServiceProcess start(String name, Map<String, String> extra) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(stack.serviceEnv("ingest"));
    env.put("CONVEYOR_ADMIN_PASSWORD", "it-admin");
    Map<String, String> cfg = new LinkedHashMap<>();
    cfg.put("conveyor.ingest.sources.demo.enabled", "false");
    cfg.put("conveyor.ingest.sources.crash.type", "directory");
    cfg.put(
        "conveyor.ingest.sources.crash.path",
        Path.of("target/crash-it/qa").toAbsolutePath().toString());
    cfg.put("conveyor.ingest.sources.crash.dataset", DATASET);
    cfg.put(
        "conveyor.ingest.work-dir", Path.of("target/crash-it/work").toAbsolutePath().toString());
    cfg.put("conveyor.ingest.publish.relay-delay", "1s");
    cfg.putAll(extra);
    List<String> jvmArgs =
        cfg.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
    return ServiceProcess.start(
        "ingest-service",
        Path.of(System.getProperty("ingest.jar", "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath(),
        512,
        Ports.choose(0),
        Path.of("target/crash-it/run").toAbsolutePath(),
        Path.of("target/crash-it", name + ".log").toAbsolutePath(),
        env,
        jvmArgs);
  }

  private List<ConsumerRecord<String, String>> dataArrived() {
    return kafka.records(Topics.DATA_ARRIVED, r -> DATASET.equals(r.key()));
  }

  private byte[] s3Get(String key) throws Exception {
    Map<String, String> cfg = stack.serviceConfig("ingest");
    MinioClient c =
        MinioClient.builder()
            .endpoint(cfg.get("conveyor.s3.endpoint"))
            .region("us-east-1")
            .credentials(cfg.get("conveyor.s3.access-key"), cfg.get("conveyor.s3.secret-key"))
            .build();
    try (InputStream in =
        c.getObject(GetObjectArgs.builder().bucket("conveyor").object(key).build())) {
      return in.readAllBytes();
    }
  }
}
