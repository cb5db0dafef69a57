package dev.conveyor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventData;
import dev.conveyor.events.EventExamples;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.StackOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EventsCommandTest {

  @TempDir Path dir;

  @Test
  void printsEveryTopicAndDlqAsATimeline() throws Exception {
    try (LocalStack stack = LocalStack.start(StackOptions.forTests(dir))) {
      try (var producer =
          new KafkaProducer<>(
              Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrap()),
              new StringSerializer(),
              new StringSerializer())) {
        for (EventData data : EventExamples.all()) {
          var type = EventTypes.of(data.getClass());
          var record = new ProducerRecord<>(type.topic(), data.key(), EventCodec.encode(data));
          CloudEventHeaders.encode(CloudEventMeta.create(type, Sources.CLI))
              .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
          producer.send(record).get(30, TimeUnit.SECONDS);
        }
        var dead = new ProducerRecord<>(Topics.dlq(Topics.MODEL_TRAINED), "qa", "{oops");
        dead.headers()
            .add(Topics.DLQ_REASON_HEADER, "model-trained: data is not valid JSON".getBytes());
        producer.send(dead).get(30, TimeUnit.SECONDS);
      }
      StringWriter out = new StringWriter();
      CommandLine cl = ConveyorCommand.commandLine();
      cl.setOut(new PrintWriter(out));
      int code =
          cl.execute(
              "events", "-b", stack.kafkaBootstrap(), "--max-events", "8", "--idle-timeout", "30");
      assertEquals(0, code);
      List<String> lines = out.toString().lines().toList();
      assertEquals(8, lines.size(), out.toString());
      String all = out.toString();
      assertTrue(
          all.contains(
              "qa-world v3: 1840 train / 212 test / 7 quarantined (parent v2, from demo-feed)"),
          all);
      assertTrue(
          all.contains("train qa on qa-world v3 from v3, reason new-data, by evaluator-service"),
          all);
      assertTrue(all.contains("run run-5d1c9e succeeded: loss 0.412, 600 steps"), all);
      assertTrue(all.contains("candidate BLEU 61.30 vs champion v3 48.70, p=0.0010: PASSED"), all);
      assertTrue(all.contains("qa v4 is champion (was v3), reason gate, by registry-service"), all);
      assertTrue(all.contains("DEAD LETTER: model-trained: data is not valid JSON"), all);
    }
  }
}
