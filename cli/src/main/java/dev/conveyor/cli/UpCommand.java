package dev.conveyor.cli;

import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.StackOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conveyor up}: starts the local stack and keeps it up until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Start real Kafka, PostgreSQL and S3 locally and stay up until Ctrl-C.")
public final class UpCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      description = "Where the stack keeps its data (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:CONVEYOR_DATA_DIR:-.conveyor/data}")
  Path dataDir;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Preferred Kafka port.")
  int kafkaPort;

  @Option(
      names = "--postgres-port",
      defaultValue = "5432",
      description = "Preferred PostgreSQL port.")
  int postgresPort;

  @Option(names = "--s3-port", defaultValue = "9000", description = "Preferred S3 port.")
  int s3Port;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = dataDir.toAbsolutePath().normalize();
    String unusable = checkWritable(dir);
    if (unusable != null) {
      err.println("conveyor up: " + unusable);
      return ConveyorCommand.BAD_INPUT;
    }
    out.println("Starting the local stack in " + dir + " ...");
    out.flush();
    LocalStack stack = LocalStack.create(new StackOptions(dir, kafkaPort, postgresPort, s3Port, 3));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping the local stack ...");
                  out.flush();
                  stack.close();
                  out.println("Stopped.");
                  out.flush();
                  stopped.countDown();
                },
                "conveyor-down"));
    stack.start();
    stack.notices().forEach(n -> out.println("note: " + n));
    Path envFile = writeEnv(dir, stack);
    out.println();
    stack.describe().forEach(line -> out.println("  " + line));
    out.println(
        "  Services    settings as env vars in "
            + envFile
            + " (source it to point a service here)");
    out.println();
    out.printf("Ready in %.1f s. Press Ctrl-C to stop.%n", stack.startMillis() / 1000.0);
    out.flush();
    stopped.await();
    return 0;
  }

  /** Null if {@code dir} can be created and written, else why not. */
  static String checkWritable(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", "");
      Files.delete(probe);
      return null;
    } catch (IOException | SecurityException e) {
      return "data directory " + dir + " cannot be written (" + e.getClass().getSimpleName() + ")";
    }
  }

  private static Path writeEnv(Path dir, LocalStack stack) throws IOException {
    StringBuilder sb =
        new StringBuilder("# written by conveyor up; secrets inside: keep private\n");
    for (Map.Entry<String, String> e : stack.serviceEnv("postgres").entrySet()) {
      sb.append("export ").append(e.getKey()).append("='").append(e.getValue()).append("'\n");
    }
    Path file = dir.resolve("stack.env");
    Files.writeString(file, sb.toString());
    file.toFile().setReadable(false, false);
    file.toFile().setReadable(true, true);
    return file;
  }
}
