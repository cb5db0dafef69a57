package dev.conveyor.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventExamples;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The exact kcat commands of events/README.md work against the real broker. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class KcatCommandsTest {
  private static final Path README = Path.of("..", "events", "README.md");

  @Inject ContractPublisher publisher;
  @Inject ContractListener listener;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void readmeProduceCommandPublishesAValidTrainRequested() throws Exception {
    run(command("kcat-produce"));
    CloudEvent<?> got =
        Await.until(
            () ->
                listener.received(Topics.TRAIN_REQUESTED).stream()
                    .filter(e -> e.meta().source().equals("/users/kcat"))
                    .findFirst()
                    .orElse(null),
            "the hand-made train-requested");
    TrainRequested data = (TrainRequested) got.data();
    assertEquals("manual-001", data.requestId());
    assertEquals(TrainRequested.Reason.MANUAL, data.reason());
    assertEquals(300, ((Number) data.config().get("steps")).intValue());
  }

  @Test
  void readmeConsumeCommandShowsEveryHeaderOfASmallRyeEvent() throws Exception {
    TrainRequested data = EventExamples.trainRequested();
    var message = OutgoingEvents.message(data, Sources.EVALUATOR, Map.of("runid", "run-kcat"));
    publisher.send(message, data).toCompletableFuture().get(30, TimeUnit.SECONDS);
    String out = run(command("kcat-consume"));
    String json = EventCodec.encode(data);
    String block =
        out.lines()
            .dropWhile(l -> !(l.startsWith("headers=") && l.contains("ce_runid=run-kcat")))
            .limit(2)
            .reduce("", (a, b) -> a + b + "\n");
    assertTrue(block.contains("ce_specversion=1.0"), out);
    assertTrue(block.contains("ce_type=" + EventTypes.TRAIN_REQUESTED.ceType()), block);
    assertTrue(block.contains("ce_source=" + Sources.EVALUATOR), block);
    assertTrue(block.contains("ce_id="), block);
    assertTrue(block.contains("ce_time="), block);
    assertTrue(block.contains("value=" + json), block);
  }

  private String command(String marker) throws Exception {
    String text = Files.readString(README);
    int from = text.indexOf("<!-- " + marker + ":start -->");
    int to = text.indexOf("<!-- " + marker + ":end -->");
    String block = text.substring(from, to);
    return block.substring(block.indexOf("```bash\n") + 8, block.lastIndexOf("```"));
  }

  private String run(String script) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script);
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "kcat failed (is it installed? .ci/run installs it): " + out);
    return out;
  }
}
