package dev.conveyor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    Up first = Up.start(data);
    first.awaitReady();
    long pgPid = postgresPid(data);
    assertTrue(ProcessHandle.of(pgPid).isPresent(), "postgres runs");
    first.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9: postgres orphaned

    Up second = Up.start(data);
    second.awaitReady();
    assertFalse(ProcessHandle.of(pgPid).map(ProcessHandle::isAlive).orElse(false), "orphan reaped");
    second.process.toHandle().destroy(); // SIGTERM, as Ctrl-C; keeps our end of the pipe open
    assertTrue(second.process.waitFor(60, TimeUnit.SECONDS), "stops within a minute");
    second.reader.join(5000);
    assertTrue(
        second.lines.stream().anyMatch(l -> l.equals("Stopped.")),
        "exit " + second.process.exitValue() + ": " + second.lines);
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

  /** {@code conveyor up} as a real child process. */
  private record Up(Process process, List<String> lines, Thread reader) {
    static Up start(Path data) throws Exception {
      String cp =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  cp,
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  ConveyorCommand.class.getName(),
                  "up",
                  "--stack-only",
                  "--data-dir",
                  data.toString(),
                  "--kafka-port",
                  "0",
                  "--postgres-port",
                  "0",
                  "--s3-port",
                  "0")
              .redirectErrorStream(true)
              .start();
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
                  // process gone
                }
              });
      reader.setDaemon(true);
      reader.start();
      return new Up(p, lines, reader);
    }

    void awaitReady() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        if (lines.stream().anyMatch(l -> l.startsWith("Ready in"))) {
          return;
        }
        if (!process.isAlive()) {
          throw new AssertionError("conveyor up died: " + lines);
        }
        Thread.sleep(100);
      }
      throw new AssertionError("conveyor up not ready: " + lines);
    }
  }
}
