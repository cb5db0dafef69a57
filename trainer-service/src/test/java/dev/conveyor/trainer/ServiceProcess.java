package dev.conveyor.trainer;

import dev.conveyor.localstack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged trainer ({@code target/quarkus-app}) as a child process with its log in a file. */
final class ServiceProcess {
  private final Process process;
  final Path log;

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ServiceProcess start(LocalStack stack, Path log, Map<String, String> extra)
      throws IOException {
    String jar = System.getProperty("trainer.app.jar", "target/quarkus-app/quarkus-run.jar");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-Dai.djl.offline=true");
    Map<String, String> config = new java.util.LinkedHashMap<>();
    stack.serviceConfig("postgres").entrySet().stream()
        .filter(e -> e.getKey().startsWith("kafka.") || e.getKey().startsWith("conveyor.s3."))
        .forEach(e -> config.put(e.getKey(), e.getValue()));
    config.put("quarkus.http.port", "0");
    // a dead member must leave the group quickly so the restarted one gets the partitions
    config.put("mp.messaging.incoming.train-requested.session.timeout.ms", "6000");
    config.put("mp.messaging.incoming.train-requested.heartbeat.interval.ms", "1000");
    config.putAll(extra);
    config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(jar);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("CONVEYOR_ADMIN_PASSWORD", "it-admin"); // required at start
    String cache = System.getenv("DJL_CACHE_DIR");
    if (cache != null) {
      pb.environment().put("DJL_CACHE_DIR", cache);
    }
    return new ServiceProcess(pb.start(), log);
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code kill -9}: no shutdown hook, no final checkpoint, no commit. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  boolean alive() {
    return process.isAlive();
  }
}
