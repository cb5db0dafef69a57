package dev.conveyor.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.DataArrived;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.Ports;
import dev.conveyor.storage.Digests;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as a real process: killed with SIGKILL between writing the manifest and
 * publishing, it still publishes exactly one data-arrived after a restart; bad configuration stops
 * it at start-up with the setting named.
 */
class IngestCrashIT {
  private static final String DATASET = "crash-qa";
  private final LocalStack stack = LocalStackResource.shared();

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

    Process first = start("first", Map.of("conveyor.ingest.publish.pause-before-publish", "true"));
    try {
      awaitLog("first", "PAUSED before publishing data-arrived for crash-qa v1", first);
      byte[] manifest = s3Get("datasets/crash-qa/v1/manifest.json");
      assertTrue(manifest.length > 0);
      assertEquals(
          0,
          Kafka.dataArrived(stack.kafkaBootstrap(), DATASET).size(),
          "nothing published before the kill");
    } finally {
      first.destroyForcibly(); // SIGKILL: no shutdown hooks, no graceful close
      first.waitFor(30, TimeUnit.SECONDS);
    }
    assertEquals(137, first.exitValue(), "killed by SIGKILL");

    Process second = start("second", Map.of());
    try {
      awaitLog("second", "published data-arrived crash-qa v1", second);
      var events = Kafka.awaitExactly(stack.kafkaBootstrap(), DATASET, 1);
      assertEquals(1, events.size(), "exactly one data-arrived after the restart");
      DataArrived e = EventCodec.decode(EventTypes.DATA_ARRIVED, events.get(0).value());
      assertEquals(Digests.of(s3Get("datasets/crash-qa/v1/manifest.json")), e.manifestDigest());
      assertEquals(1, e.version());
      assertEquals(50, e.counts().train() + e.counts().test());
      assertTrue(Files.exists(dir.resolve("processed/bells.txt")));
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }
    Process third = start("third", Map.of());
    try {
      awaitLog("third", "Installed features", third);
      Thread.sleep(4000); // longer than the relay's first pass
      assertEquals(
          1,
          Kafka.dataArrived(stack.kafkaBootstrap(), DATASET).size(),
          "no re-publish once acknowledged");
    } finally {
      third.destroy();
      third.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnknownSourceTypeFailsStartUpNamingTheSetting() throws Exception {
    Process p =
        start(
            "badconfig",
            Map.of(
                "conveyor.ingest.sources.ftp.type",
                "ftp",
                "conveyor.ingest.sources.ftp.dataset",
                "x"));
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "start-up should fail, not hang");
    assertNotEquals(0, p.exitValue());
    String log = Files.readString(logFile("badconfig"));
    assertTrue(log.contains("conveyor.ingest.sources.ftp.type: unknown source type 'ftp'"), log);
  }

  private Process start(String name, Map<String, String> extra) throws Exception {
    Map<String, String> cfg = new LinkedHashMap<>(stack.serviceConfig("ingest"));
    cfg.put("quarkus.http.port", Integer.toString(Ports.choose(0)));
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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cfg.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(System.getProperty("ingest.jar", "target/quarkus-app/quarkus-run.jar"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile(name).toFile());
    pb.environment().put("CONVEYOR_ADMIN_PASSWORD", "it-admin");
    return pb.start();
  }

  private static Path logFile(String name) throws Exception {
    return Files.createDirectories(Path.of("target/crash-it")).resolve(name + ".log");
  }

  private static void awaitLog(String name, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String log = Files.exists(logFile(name)) ? Files.readString(logFile(name)) : "";
      if (log.contains(text)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            "process " + name + " exited before logging '" + text + "':\n" + log);
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no '" + text + "' in " + logFile(name) + ":\n" + Files.readString(logFile(name)));
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
