package dev.conveyor.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.Topics;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

  @TempDir Path dir;

  @Test
  void startsFromNothingAndKeepsDataAcrossRestarts() throws Exception {
    try (LocalStack stack = LocalStack.start(StackOptions.forTests(dir))) {
      assertTopics(stack);
      produce(stack.kafkaBootstrap(), "hello");
      try (Connection c = DriverManager.getConnection(stack.jdbcUrl("registry"), "postgres", "")) {
        c.createStatement().execute("CREATE TABLE kept (v text)");
        c.createStatement().execute("INSERT INTO kept VALUES ('still here')");
      }
      s3(stack)
          .putObject(
              PutObjectArgs.builder().bucket("conveyor").object("a/b.txt").stream(
                      new ByteArrayInputStream("s3 bytes".getBytes()), 8L, -1L)
                  .build());
    }
    try (LocalStack again = LocalStack.start(StackOptions.forTests(dir))) {
      assertEquals(List.of("hello"), consumeAll(again.kafkaBootstrap()));
      try (Connection c = DriverManager.getConnection(again.jdbcUrl("registry"), "postgres", "");
          ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
        assertTrue(rs.next());
        assertEquals("still here", rs.getString(1));
      }
      try (var in =
          s3(again)
              .getObject(GetObjectArgs.builder().bucket("conveyor").object("a/b.txt").build())) {
        assertEquals("s3 bytes", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      assertTrue(s3(again).bucketExists(BucketExistsArgs.builder().bucket("inbox").build()));
    }
  }

  @Test
  void portInUseIsAvoidedAndReported() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int busy = taken.getLocalPort();
      StackOptions options = new StackOptions(dir, 0, 0, busy, 1);
      try (LocalStack stack = LocalStack.start(options)) {
        assertTrue(!stack.s3Endpoint().endsWith(":" + busy), stack.s3Endpoint());
        assertEquals(
            List.of(
                "S3: port "
                    + busy
                    + " is in use, using "
                    + stack.s3Endpoint().substring(stack.s3Endpoint().lastIndexOf(':') + 1)
                    + " instead"),
            stack.notices());
        s3(stack).bucketExists(BucketExistsArgs.builder().bucket("conveyor").build());
      }
    }
  }

  @Test
  void secondStackOnTheSameDirectoryIsRefused() throws Exception {
    try (LocalStack stack = LocalStack.start(StackOptions.forTests(dir))) {
      var e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class, () -> LocalStack.start(StackOptions.forTests(dir)));
      assertTrue(e.getMessage().contains("another conveyor stack"), e.getMessage());
    }
  }

  private static void assertTopics(LocalStack stack) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrap()))) {
      var names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      assertTrue(names.containsAll(Topics.allWithDlqs()), names.toString());
      var desc = admin.describeTopics(List.of(Topics.TRAIN_REQUESTED)).allTopicNames().get();
      assertEquals(3, desc.get(Topics.TRAIN_REQUESTED).partitions().size());
    }
  }

  private static MinioClient s3(LocalStack stack) {
    Map<String, String> cfg = stack.serviceConfig("postgres");
    return MinioClient.builder()
        .endpoint(cfg.get("conveyor.s3.endpoint"))
        .region("us-east-1")
        .credentials(cfg.get("conveyor.s3.access-key"), cfg.get("conveyor.s3.secret-key"))
        .build();
  }

  private static void produce(String bootstrap, String value) throws Exception {
    try (var p =
        new KafkaProducer<>(
            Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      p.send(new ProducerRecord<>(Topics.DATA_ARRIVED, "k", value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> consumeAll(String bootstrap) {
    try (var c =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(Topics.DATA_ARRIVED)
          .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      List<String> out = new ArrayList<>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (out.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
      return out;
    }
  }
}
