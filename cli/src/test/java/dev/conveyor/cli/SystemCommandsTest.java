package dev.conveyor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train, feed and down: bad input is one line and exit 2; no system running is said plainly. */
class SystemCommandsTest {
  @TempDir Path dir;

  @Test
  void overridesAreTyped() {
    assertEquals(
        Map.of("steps", 400L, "learningRate", 0.002, "name", "x", "flag", true),
        TrainCommand.parse(List.of("steps=400", "learningRate=0.002", "name=x", "flag=true")));
  }

  @Test
  void badOverrideIsOneLineAndExitTwo() {
    String err = run(2, "train", "--model", "qa", "--set", "steps");
    assertTrue(err.contains("--set needs key=value, got 'steps'"), err);
  }

  @Test
  void badReasonIsOneLineAndExitTwo() {
    String err = run(2, "train", "--model", "qa", "--reason", "whim");
    assertTrue(err.contains("--reason must be manual or config-change"), err);
  }

  @Test
  void trainWithoutARunningSystemSaysSo() {
    String err = run(2, "train", "--model", "qa", "--data-dir", dir.toString());
    assertTrue(err.contains("no running system in " + dir), err);
  }

  @Test
  void unknownFeedActionIsOneLineAndExitTwo() {
    String err = run(2, "feed", "tomorrow", "--data-dir", dir.toString());
    assertTrue(err.contains("unknown action 'tomorrow' (known: next-day)"), err);
  }

  @Test
  void downWithNothingRunningIsFine() {
    CommandLine cl = ConveyorCommand.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("down", "--data-dir", dir.toString()));
    assertTrue(out.toString().contains("nothing runs on"), out.toString());
  }

  private static String run(int expectedExit, String... args) {
    CommandLine cl = ConveyorCommand.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertEquals(expectedExit, cl.execute(args), err.toString());
    String text = err.toString().strip();
    assertEquals(1, text.lines().count(), text);
    return text;
  }
}
