package dev.conveyor.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.cli.ConveyorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code conveyor up}, {@code feed next-day} and {@code down} as a user runs them: real child
 * processes of the command, read only through what they print.
 */
class UpCommandIT {
  static final Duration FLOW = Duration.ofMinutes(10);

  /** The repository (services are found there) and errors only. */
  static final Map<String, String> QUIET =
      Map.of(
          "conveyor.home",
          System.getProperty("conveyor.home", ".."),
          "org.slf4j.simpleLogger.defaultLogLevel",
          "error");

  @Test
  void upServesAChampionFeedNextDaySwapsAndDownStopsEverything() throws Exception {
    Path data = Path.of("target/up-it").toAbsolutePath();
    PipelineIT.deleteTree(data);
    ConveyorProcess up = ConveyorProcess.up(QUIET, data);
    try {
      up.await(l -> l.startsWith("The champion serves"), FLOW);
      up.await(l -> l.startsWith("Following the flow."), FLOW);
      assertTrue(up.has(l -> l.contains("model-promoted") && l.contains("qa v1 is champion")));
      assertTrue(up.has(l -> l.matches("\\s+A: .+\\[qa v1, \\d+ ms\\]")), up.toString());
      assertTrue(
          up.has(l -> l.contains("kcat -b \"$KAFKA_BOOTSTRAP_SERVERS\" -P -t train-requested")));

      ConveyorProcess feed = conveyor("feed", "next-day", "--data-dir", data.toString());
      assertEquals(0, feed.exit(Duration.ofMinutes(3)), feed.toString());
      assertTrue(feed.has(l -> l.equals("demo feed: day 2 published")), feed.toString());
      up.await(l -> l.contains("qa v2 is champion (was v1)"), FLOW);
    } finally {
      ConveyorProcess down = conveyor("down", "--data-dir", data.toString());
      assertEquals(0, down.exit(Duration.ofMinutes(3)), down.toString());
    }
    up.exit(Duration.ofSeconds(60)); // up ends after down
    assertTrue(up.has(l -> l.equals("Stopped.")), up.toString());
    List<ProcessHandle> left =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains(data.toString())).orElse(false))
            .toList();
    assertEquals(List.of(), left, "no process left on the data directory");
  }

  /** {@code conveyor args...} as a child process, quiet but for errors. */
  private static ConveyorProcess conveyor(String... args) throws Exception {
    return ConveyorProcess.start(QUIET, args);
  }
}
