package dev.conveyor.cli;

import dev.conveyor.cli.system.ConveyorSystem;
import dev.conveyor.cli.system.ServiceSpec;
import dev.conveyor.cli.system.SystemEnv;
import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.ServiceProcess;
import dev.conveyor.localstack.StackOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conveyor up}: runs the whole system locally and shows the flow until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start real Kafka, PostgreSQL and S3, the five services and the demo feed; ingest day 1,",
      "show the flow live until the champion serves, and stay up until Ctrl-C or conveyor down."
    })
public final class UpCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      description = "Where the system keeps its data and logs (default: ${DEFAULT-VALUE}).",
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

  @Option(
      names = "--stack-only",
      description = "Only Kafka, PostgreSQL, S3 and the demo feed; run the services yourself.")
  boolean stackOnly;

  @Option(
      names = "--first-answer-timeout",
      defaultValue = "PT30M",
      description = "How long to wait for the first champion to serve (default: ${DEFAULT-VALUE}).")
  Duration firstAnswerTimeout;

  @Option(
      names = "--home",
      defaultValue = "${sys:conveyor.home:-.}",
      description =
          "The Conveyor checkout holding the services' builds (default: ${DEFAULT-VALUE}).")
  Path home;

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
    StackOptions options = new StackOptions(dir, kafkaPort, postgresPort, s3Port, 3);
    if (stackOnly) {
      return stackOnly(out, dir, options);
    }
    Path checkout = home.toAbsolutePath().normalize();
    for (ServiceSpec s : ServiceSpec.all()) {
      if (!Files.isRegularFile(ServiceProcess.jar(checkout, s.name()))) {
        err.println(
            "conveyor up: "
                + s.name()
                + " is not built in "
                + checkout
                + " (run ./conveyor up from the checkout: it builds what is missing)");
        return ConveyorCommand.BAD_INPUT;
      }
    }
    long t0 = System.nanoTime();
    ConveyorSystem system = ConveyorSystem.create(checkout, options, Map.of());
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<FlowWatcher> view =
        new java.util.concurrent.atomic.AtomicReference<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println();
                  out.println("Stopping the services and the stack ...");
                  out.flush();
                  FlowWatcher flow = view.get();
                  if (flow != null) {
                    flow.close();
                  }
                  system.close();
                  deletePidFile(dir);
                  out.println("Stopped.");
                  out.flush();
                  stopped.countDown();
                },
                "conveyor-down"));
    Files.writeString(
        dir.resolve(SystemEnv.PID_FILE), Long.toString(ProcessHandle.current().pid()));
    out.println("Starting the local stack in " + dir + " ...");
    out.flush();
    system.startStack();
    LocalStack stack = system.stack();
    writeEnv(dir, stack);
    stack.describe().forEach(line -> out.println("  " + line));
    out.printf("Stack ready in %.1f s.%n%n", stack.startMillis() / 1000.0);
    FirstRun first = new FirstRun(system, out, t0);
    try (FlowWatcher flow =
        new FlowWatcher(stack.kafkaBootstrap(), out, System.console() != null, p -> {}).start()) {
      view.set(flow);
      first.startServices(flow);
      Path envFile = system.writeEnvFile();
      system.notices().forEach(n -> flow.print("note: " + n));
      first.ingest(flow);
      first.awaitChampion(flow, firstAnswerTimeout);
      first.sample(flow);
      flow.print("");
      first.tour(envFile).forEach(flow::print);
      flow.print("");
      flow.print("Following the flow. Press Ctrl-C (or run ./conveyor down) to stop.");
      stopped.await();
    }
    return 0;
  }

  private Integer stackOnly(PrintWriter out, Path dir, StackOptions options) throws Exception {
    out.println("Starting the local stack in " + dir + " ...");
    out.flush();
    LocalStack stack = LocalStack.create(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping the local stack ...");
                  out.flush();
                  stack.close();
                  deletePidFile(dir);
                  out.println("Stopped.");
                  out.flush();
                  stopped.countDown();
                },
                "conveyor-down"));
    Files.writeString(
        dir.resolve(SystemEnv.PID_FILE), Long.toString(ProcessHandle.current().pid()));
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

  private static void deletePidFile(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(SystemEnv.PID_FILE));
    } catch (IOException ignored) {
      // conveyor down checks that the pid is alive anyway
    }
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
    sb.append("export CONVEYOR_ADMIN_PASSWORD='").append(stack.adminPassword()).append("'\n");
    Path file = dir.resolve("stack.env");
    Files.deleteIfExists(file);
    Files.createFile(
        file,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, sb.toString());
    return file;
  }
}
