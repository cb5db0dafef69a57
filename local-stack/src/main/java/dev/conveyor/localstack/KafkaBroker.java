package dev.conveyor.localstack;

import dev.conveyor.events.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/** A real single-node Kafka broker in KRaft mode (broker + controller), run in this JVM. */
final class KafkaBroker implements Component {
  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final int partitions;
  private KafkaRaftServer server;

  KafkaBroker(Path dir, int port, int controllerPort, int partitions) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.partitions = partitions;
  }

  String bootstrap() {
    return "localhost:" + port;
  }

  @Override
  public void start() throws Exception {
    Files.createDirectories(dir);
    Properties p = properties();
    Path propsFile = dir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(propsFile)) {
      p.store(out, "written by conveyor local-stack");
    }
    if (!Files.exists(dir.resolve("data/meta.properties"))) {
      format(propsFile);
    }
    server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
    server.startup();
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
      createTopics(admin);
    }
  }

  Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            "60000"));
  }

  private void format(Path propsFile) throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()
              },
              out);
    }
    if (rc != 0) {
      throw new IllegalStateException("kafka storage format failed: " + log);
    }
  }

  /** Creates every event topic (several partitions) and its DLQ, keeping those that exist. */
  private void createTopics(Admin admin) throws Exception {
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (String topic : Topics.allWithDlqs()) {
      if (!existing.contains(topic)) {
        int n = topic.endsWith(Topics.DLQ_SUFFIX) ? 1 : partitions;
        missing.add(new NewTopic(topic, n, (short) 1));
      }
    }
    if (!missing.isEmpty()) {
      admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.resolve("data").toString());
    p.put("num.partitions", String.valueOf(partitions));
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("default.replication.factor", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.flush.interval.messages", "1");
    // a restart after kill -9 waits for the dead broker's session to expire: keep that short
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "3000");
    return p;
  }

  @Override
  public Map<String, String> serviceConfig() {
    return Map.of("kafka.bootstrap.servers", bootstrap());
  }

  @Override
  public String describe() {
    return "Kafka       " + bootstrap() + "  (KRaft, topics: " + Topics.ALL.size() + " + DLQs)";
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }
}
