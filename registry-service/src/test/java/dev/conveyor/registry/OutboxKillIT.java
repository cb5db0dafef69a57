package dev.conveyor.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.events.Topics;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.Ports;
import dev.conveyor.localstack.ServiceProcess;
import dev.conveyor.localstack.testing.Await;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.S3Config;
import io.minio.MinioClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged service is killed with SIGKILL after it committed a promotion but before it
 * published it (relay switched off); after a restart exactly one model-promoted with the committed
 * event id reaches the topic, and the replayed input promotes nothing twice.
 */
class OutboxKillIT {
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ServiceProcess> started = new ArrayList<>();
  private LocalStack stack;
  private int port;

  @AfterEach
  void stop() throws InterruptedException {
    for (ServiceProcess p : started) {
      p.stop(Duration.ofSeconds(30));
    }
  }

  @Test
  void aKillBetweenCommitAndPublishStillYieldsExactlyOneModelPromoted() throws Exception {
    stack = LocalStackResource.shared();
    port = Ports.choose(0);
    Map<String, String> cfg = stack.serviceConfig("registry");
    String bootstrap = stack.kafkaBootstrap();
    Flow f =
        new Flow(bootstrap, objectStore(cfg), "killed-" + Long.toString(System.nanoTime(), 36));

    ServiceProcess first = start(false, "first");
    f.train("run-" + f.model + "-1", "req-1", 1);
    f.publish(
        f.evaluated("e1-" + f.model, "run-" + f.model + "-1", ModelEvaluated.Verdict.PASSED, 1));
    Await.until(
        () -> get("/models/" + f.model + "/aliases/champion").statusCode() == 200,
        Duration.ofSeconds(120),
        "committed promotion");
    String eventId =
        scalar(
            "SELECT event_id FROM outbox WHERE event_key = '"
                + f.model
                + "' AND published_at IS NULL");
    assertNotNull(eventId, "an unpublished outbox row");
    Thread.sleep(3000); // several relay periods: nothing may go out while the relay is off
    assertTrue(records(bootstrap, f.model).isEmpty(), "nothing published before the kill");

    first.kill(); // SIGKILL: no shutdown hooks, no flush
    assertFalse(first.alive());

    start(true, "restarted");
    List<ConsumerRecord<String, String>> out =
        Await.until(
            () -> records(bootstrap, f.model).isEmpty() ? null : records(bootstrap, f.model),
            Duration.ofSeconds(120),
            "model-promoted after restart");
    Thread.sleep(4000); // more relay periods and any consumer replay
    out = records(bootstrap, f.model);
    assertEquals(1, out.size(), "exactly one model-promoted");
    assertEquals(eventId, TestKafka.header(out.get(0), "ce_id"));
    assertEquals(f.model + ":1", TestKafka.header(out.get(0), "ce_modelversion"));
    assertEquals("1", scalar("SELECT count(*) FROM alias_move WHERE model = '" + f.model + "'"));
    assertEquals(
        "0",
        scalar(
            "SELECT count(*) FROM outbox WHERE event_key = '"
                + f.model
                + "' AND published_at IS NULL"));
  }

  /** The packaged service on {@link #port}, ready; stack endpoints and secrets in its env. */
  private ServiceProcess start(boolean relay, String name) throws Exception {
    Path jar =
        Path.of(System.getProperty("registry.app.jar", "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();
    assertTrue(Files.exists(jar), "packaged service at " + jar + " (run mvn verify)");
    Map<String, String> env = new LinkedHashMap<>(stack.serviceEnv("registry"));
    env.put("CONVEYOR_ADMIN_PASSWORD", "it-admin-secret");
    ServiceProcess p =
        ServiceProcess.start(
            "registry-service",
            jar,
            512,
            port,
            Path.of("target", "outbox-kill").toAbsolutePath(),
            Path.of("target", "outbox-kill-" + name + ".log").toAbsolutePath(),
            env,
            List.of(
                "-Dconveyor.registry.outbox.relay-enabled=" + relay,
                "-Dconveyor.registry.outbox.poll-interval=1s",
                "-Dconveyor.registry.outbox.poll-delay=1s"));
    started.add(p);
    p.awaitReady(Duration.ofSeconds(180));
    return p;
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("not reachable yet", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<ConsumerRecord<String, String>> records(String bootstrap, String model) {
    return new TestKafka(bootstrap).records(Topics.MODEL_PROMOTED, r -> model.equals(r.key()));
  }

  private String scalar(String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl("registry"), "postgres", "postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static ObjectStore objectStore(Map<String, String> cfg) {
    S3Config s3 =
        new S3Config() {
          @Override
          public String endpoint() {
            return cfg.get("conveyor.s3.endpoint");
          }

          @Override
          public String accessKey() {
            return cfg.get("conveyor.s3.access-key");
          }

          @Override
          public String secretKey() {
            return cfg.get("conveyor.s3.secret-key");
          }

          @Override
          public String bucket() {
            return cfg.get("conveyor.s3.bucket");
          }

          @Override
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
