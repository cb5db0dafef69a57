package dev.conveyor.cli;

import dev.conveyor.cli.bleu.BleuCommand;
import dev.conveyor.cli.prompt.PromptCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code conveyor} command: run the local system, watch events, compute BLEU. */
@Command(
    name = "conveyor",
    mixinStandardHelpOptions = true,
    versionProvider = ConveyorCommand.Version.class,
    description = "Event-driven MLOps for the JVM.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      FeedCommand.class,
      TrainCommand.class,
      EventsCommand.class,
      BleuCommand.class,
      PromptCommand.class
    })
public final class ConveyorCommand implements Runnable {
  /** Exit code for bad input: unknown flags, unusable directories, bad files. */
  public static final int BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (also used by tests). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ConveyorCommand());
    cl.setParameterExceptionHandler(ConveyorCommand::oneLineError);
    return cl;
  }

  /** Bad flags get one line naming the problem, not a page of usage. */
  static int oneLineError(CommandLine.ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println(e.getCommandLine().getCommandName() + ": " + e.getMessage() + " (try --help)");
    return BAD_INPUT;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ConveyorCommand.class.getPackage().getImplementationVersion();
      return new String[] {"conveyor " + (v == null ? "dev" : v)};
    }
  }
}
