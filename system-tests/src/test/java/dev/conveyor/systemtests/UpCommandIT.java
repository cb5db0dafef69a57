package dev.conveyor.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.cli.ConveyorCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code conveyor up}, {@code feed next-day} and {@code down} as a user runs them: real child
 * processes of the command, read only through what they print.
 */
class UpCommandIT {
  static final Duration FLOW = Duration.ofMinutes(10);

  @Test
  void upServesAChampionFeedNextDaySwapsAndDownStopsEverything() throws Exception {
    Path data = Path.of("target/up-it").toAbsolutePath();
    PipelineIT.deleteTree(data);
    Command up =
        Command.start(
            "up",
            "--data-dir",
            data.toString(),
            "--kafka-port",
            "0",
            "--postgres-port",
            "0",
            "--s3-port",
            "0");
    try {
      up.await(l -> l.startsWith("The champion serves"), FLOW);
      up.await(l -> l.startsWith("Following the flow."), FLOW);
      assertTrue(up.has(l -> l.contains("model-promoted") && l.contains("qa v1 is champion")));
      assertTrue(up.has(l -> l.matches("\\s+A: .+\\[qa v1, \\d+ ms\\]")), up.toString());
      assertTrue(
          up.has(l -> l.contains("kcat -b \"$KAFKA_BOOTSTRAP_SERVERS\" -P -t train-requested")));

      Command feed = Command.start("feed", "next-day", "--data-dir", data.toString());
      assertEquals(0, feed.exit(Duration.ofMinutes(3)), feed.toString());
      assertTrue(feed.has(l -> l.equals("demo feed: day 2 published")), feed.toString());
      up.await(l -> l.contains("qa v2 is champion (was v1)"), FLOW);
    } finally {
      Command down = Command.start("down", "--data-dir", data.toString());
      assertEquals(0, down.exit(Duration.ofMinutes(3)), down.toString());
    }
    assertTrue(up.process.waitFor(60, TimeUnit.SECONDS), "up ends after down");
    assertTrue(up.has(l -> l.equals("Stopped.")), up.toString());
    List<ProcessHandle> left =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains(data.toString())).orElse(false))
            .toList();
    assertEquals(List.of(), left, "no process left on the data directory");
  }

  /** The conveyor command as a child process, its output collected line by line. */
  private record Command(Process process, List<String> lines) {
    static Command start(String... args) throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-cp");
      cmd.add(
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
      cmd.add("-Dconveyor.home=" + System.getProperty("conveyor.home", ".."));
      cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
      cmd.add(ConveyorCommand.class.getName());
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (Exception ignored) {
                  // the process is gone
                }
              });
      reader.setDaemon(true);
      reader.start();
      return new Command(p, lines);
    }

    boolean has(Predicate<String> test) {
      return lines.stream().anyMatch(test);
    }

    void await(Predicate<String> test, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!has(test)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("not seen in time; output:\n" + this);
        }
        Thread.sleep(200);
      }
    }

    int exit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("did not end; output:\n" + this);
      }
      Thread.sleep(100); // the reader drains the last lines
      return process.exitValue();
    }

    @Override
    public String toString() {
      return String.join("\n", lines);
    }
  }
}
