package dev.conveyor.cli;

import dev.conveyor.cli.system.SystemClient;
import dev.conveyor.cli.system.SystemEnv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conveyor feed next-day}: the demo world moves on a day and ingest pulls it now. */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description = {
      "next-day: the demo feed publishes the next day's Q&A and ingest pulls it at once;",
      "the system then re-checks the champion, retrains, gates and hot-swaps on its own."
    })
public final class FeedCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ACTION", description = "next-day")
  String action;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:CONVEYOR_DATA_DIR:-.conveyor/data}",
      description = "The data directory of the running conveyor up (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!"next-day".equals(action)) {
      err.println("conveyor feed: unknown action '" + action + "' (known: next-day)");
      return ConveyorCommand.BAD_INPUT;
    }
    try {
      SystemClient client = SystemClient.of(SystemEnv.load(dataDir.toAbsolutePath().normalize()));
      int day = client.nextDay();
      out.println("demo feed: day " + day + " published");
      SystemClient.describeIngest(client.ingestNow()).forEach(out::println);
      out.println("watch the retrain: ./conveyor events --from-now");
      return 0;
    } catch (IOException e) {
      err.println("conveyor feed: " + e.getMessage());
      return ConveyorCommand.BAD_INPUT;
    }
  }
}
