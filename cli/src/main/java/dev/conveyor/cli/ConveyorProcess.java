package dev.conveyor.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code conveyor} sub-command run as a child JVM on this JVM's class path, read only through
 * what it prints (stdout and stderr together), line by line.
 */
public final class ConveyorProcess {
  private static final Duration DRAIN = Duration.ofSeconds(5);

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private ConveyorProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "conveyor-" + process.pid() + "-output");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** Starts {@code conveyor args...} with these system properties. */
  public static ConveyorProcess start(Map<String, String> systemProperties, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    // Under Surefire/Failsafe java.class.path is only the booter jar; the real one is here.
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add(ConveyorCommand.class.getName());
    cmd.addAll(List.of(args));
    return new ConveyorProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  /**
   * Starts {@code conveyor up} on {@code data} with Kafka, PostgreSQL and S3 on free ports (so it
   * never meets a developer's running system), followed by {@code extra} options.
   */
  public static ConveyorProcess up(Map<String, String> systemProperties, Path data, String... extra)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--data-dir",
                data.toString(),
                "--kafka-port",
                "0",
                "--postgres-port",
                "0",
                "--s3-port",
                "0"));
    args.addAll(List.of(extra));
    return start(systemProperties, args.toArray(String[]::new));
  }

  private void read() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        synchronized (this) {
          lines.add(line);
          notifyAll();
        }
      }
    } catch (IOException gone) {
      // the process is gone
    } finally {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  public Process process() {
    return process;
  }

  /** The lines printed so far. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  public synchronized boolean has(Predicate<String> test) {
    return lines.stream().anyMatch(test);
  }

  /**
   * Waits for the first line that passes {@code test} and returns it; fails with the output so far
   * if the process ends first or {@code timeout} passes.
   */
  public String await(Predicate<String> test, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long endedAt = 0;
    synchronized (this) {
      while (true) {
        for (String line : lines) {
          if (test.test(line)) {
            return line;
          }
        }
        long now = System.nanoTime();
        if (endedAt == 0 && !process.isAlive()) {
          endedAt = now;
        }
        // a child it left behind may hold the pipe open: the last lines get a short grace only
        if (!reader.isAlive() || (endedAt != 0 && now - endedAt > DRAIN.toNanos())) {
          String how =
              process.isAlive() ? "closed its output" : "ended (exit " + process.exitValue() + ")";
          throw new IOException(how + " before the line; output:\n" + this);
        }
        if (now > deadline) {
          throw new IOException("line not seen in " + timeout + "; output:\n" + this);
        }
        wait(Math.max(1, Math.min(200, (deadline - now) / 1_000_000)));
      }
    }
  }

  /**
   * Waits for the process to end and its last lines to be read; returns its exit status. If it does
   * not end within {@code timeout}, kills it and fails with its output.
   */
  public int exit(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IOException("did not end in " + timeout + "; output:\n" + this);
    }
    reader.join(DRAIN.toMillis());
    return process.exitValue();
  }

  /** The output so far. */
  @Override
  public synchronized String toString() {
    return String.join("\n", lines);
  }
}
