package dev.conveyor.cli;

import dev.conveyor.cli.system.SystemClient;
import dev.conveyor.cli.system.SystemEnv;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.CloudEventHeaders;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import dev.conveyor.events.TrainRequested;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conveyor train}: publishes a train-requested by hand, with config overrides. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a train-requested for MODEL on a dataset version, with config overrides.",
      "The trainer merges them over the model's YAML (trainer-service/src/main/resources/models)."
    })
public final class TrainCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, description = "Model name, e.g. qa.")
  String model;

  @Option(
      names = "--dataset",
      description = "NAME or NAME:vN (default: the model's name, newest version).")
  String dataset;

  @Option(
      names = "--set",
      description = "A config override key=value (repeatable), e.g. --set steps=400.")
  List<String> overrides = List.of();

  @Option(
      names = "--from",
      defaultValue = "champion",
      description = "champion (fine-tune the current champion if any) or scratch.")
  String from;

  @Option(
      names = "--reason",
      defaultValue = "manual",
      description = "manual or config-change (CI retraining on a code/config change).")
  String reason;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:CONVEYOR_DATA_DIR:-.conveyor/data}",
      description = "The data directory of the running conveyor up (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> config;
    TrainRequested.Reason why;
    String datasetName;
    Long version;
    try {
      config = parse(overrides);
      why = reason(reason);
      if (!from.equals("champion") && !from.equals("scratch")) {
        throw new IllegalArgumentException(
            "--from must be champion or scratch, not '" + from + "'");
      }
      String d = dataset == null ? model : dataset;
      int colon = d.indexOf(":v");
      datasetName = colon < 0 ? d : d.substring(0, colon);
      version = colon < 0 ? null : Long.parseLong(d.substring(colon + 2));
    } catch (IllegalArgumentException e) {
      err.println("conveyor train: " + e.getMessage());
      return ConveyorCommand.BAD_INPUT;
    }
    SystemEnv env;
    DatasetRef ref;
    BaseModel base;
    try {
      env = SystemEnv.load(dataDir.toAbsolutePath().normalize());
      SystemClient client = SystemClient.of(env);
      ref = client.dataset(datasetName, version);
      base =
          from.equals("scratch")
              ? BaseModel.scratch()
              : client.champion(model).orElse(BaseModel.scratch());
    } catch (IOException e) {
      err.println("conveyor train: " + e.getMessage());
      return ConveyorCommand.BAD_INPUT;
    }
    TrainRequested request =
        new TrainRequested(
            "cli-" + UUID.randomUUID(),
            model,
            ref,
            base,
            config,
            why,
            System.getProperty("user.name", "cli"));
    CloudEventMeta meta = CloudEventMeta.create(EventTypes.TRAIN_REQUESTED, Sources.CLI);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.require("KAFKA_BOOTSTRAP_SERVERS"),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
            new StringSerializer(),
            new StringSerializer())) {
      ProducerRecord<String, String> record =
          new ProducerRecord<>(
              EventTypes.TRAIN_REQUESTED.topic(), request.key(), EventCodec.encode(request));
      CloudEventHeaders.encode(meta)
          .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      producer.send(record).get();
    }
    out.printf(
        "published train-requested %s: %s on %s v%d from %s, config %s%n",
        meta.id(), model, ref.name(), ref.version(), base.label(), config);
    out.println("watch it: ./conveyor events --from-now");
    return 0;
  }

  /** {@code key=value} pairs; numbers and booleans typed, the rest strings. */
  static Map<String, Object> parse(List<String> pairs) {
    Map<String, Object> config = new TreeMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException("--set needs key=value, got '" + pair + "'");
      }
      String key = pair.substring(0, eq).strip();
      String value = pair.substring(eq + 1).strip();
      config.put(key, typed(value));
    }
    return config;
  }

  private static Object typed(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException notLong) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException notDouble) {
        return v;
      }
    }
  }

  private static TrainRequested.Reason reason(String r) {
    for (TrainRequested.Reason candidate :
        List.of(TrainRequested.Reason.MANUAL, TrainRequested.Reason.CONFIG_CHANGE)) {
      if (candidate.wire().equals(r)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("--reason must be manual or config-change, not '" + r + "'");
  }
}
