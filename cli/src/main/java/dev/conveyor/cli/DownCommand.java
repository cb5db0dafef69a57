package dev.conveyor.cli;

import dev.conveyor.cli.system.SystemEnv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conveyor down}: stops the {@code conveyor up} running on a data directory. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stop the running conveyor up (services first, then the stack), as Ctrl-C does.")
public final class DownCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      defaultValue = "${env:CONVEYOR_DATA_DIR:-.conveyor/data}",
      description = "The data directory of the running conveyor up (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the stop.")
  int timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path pidFile = dataDir.toAbsolutePath().normalize().resolve(SystemEnv.PID_FILE);
    Optional<ProcessHandle> up =
        Files.exists(pidFile)
            ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
                .filter(ProcessHandle::isAlive)
            : Optional.empty();
    if (up.isEmpty()) {
      out.println("conveyor down: nothing runs on " + pidFile.getParent());
      return 0;
    }
    out.println("Stopping conveyor up (pid " + up.get().pid() + ") ...");
    out.flush();
    up.get().destroy(); // SIGTERM: its shutdown hook stops the services, then the stack
    try {
      up.get().onExit().get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      spec.commandLine()
          .getErr()
          .println("conveyor down: still running after " + timeoutSeconds + " s");
      return 1;
    }
    out.println("Stopped.");
    return 0;
  }
}
