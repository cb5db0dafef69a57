package dev.conveyor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UpCommandTest {

  @TempDir Path dir;

  @Test
  void unknownFlagIsOneLineAndExitTwo() {
    StringWriter err = new StringWriter();
    CommandLine cl = ConveyorCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("up", "--bogus"));
    String text = err.toString().strip();
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.contains("--bogus"), text);
  }

  @Test
  void unwritableDataDirIsOneLineAndExitTwo() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    StringWriter err = new StringWriter();
    CommandLine cl = ConveyorCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("up", "--data-dir", file.resolve("data").toString()));
    String text = err.toString().strip();
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.contains("cannot be written") && text.contains("a-file"), text);
  }

  @Test
  void survivesKill9AndStopsCleanlyOnSigterm() throws Exception {
    Path data = dir.resolve("data");
    ConveyorProcess first = up(data);
    long pgPid = postgresPid(data);
    assertTrue(ProcessHandle.of(pgPid).isPresent(), "postgres runs");
    first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9: postgres orphaned

    ConveyorProcess second = up(data);
    assertFalse(ProcessHandle.of(pgPid).map(ProcessHandle::isAlive).orElse(false), "orphan reaped");
    second.process().toHandle().destroy(); // SIGTERM, as Ctrl-C; keeps our end of the pipe open
    int exit = second.exit(Duration.ofSeconds(60)); // stops within a minute
    assertTrue(second.has(l -> l.equals("Stopped.")), "exit " + exit + ": " + second);
    List<ProcessHandle> left =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains(data.toString())).orElse(false))
            .toList();
    assertEquals(List.of(), left, "no process left that uses the data directory");
  }

  private static long postgresPid(Path data) throws Exception {
    return Long.parseLong(
        Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim());
  }

  /** {@code conveyor up --stack-only} as a real child process, waited on until it is ready. */
  private static ConveyorProcess up(Path data) throws Exception {
    ConveyorProcess up =
        ConveyorProcess.up(
            Map.of("org.slf4j.simpleLogger.defaultLogLevel", "warn"), data, "--stack-only");
    up.await(l -> l.startsWith("Ready in"), Duration.ofSeconds(120));
    return up;
  }
}
