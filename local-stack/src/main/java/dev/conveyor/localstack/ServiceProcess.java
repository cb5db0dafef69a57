package dev.conveyor.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service ({@code target/quarkus-app}) running as a child process, log in a file: what
 * {@code conveyor up} runs and what the kill tests {@code kill -9}.
 */
public final class ServiceProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int port;
  private final Path log;
  private final long logStart;
  private final Process process;
  private final long startedNanos;

  private ServiceProcess(String name, int port, Path log, long logStart, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.logStart = logStart;
    this.process = process;
    this.startedNanos = System.nanoTime();
  }

  /**
   * Starts the service {@code name} from {@code jar} with {@code env} added to this process's
   * environment (secrets travel in the environment, never on the command line) and {@code jvmArgs}
   * (non-secret {@code -D} settings) before {@code -jar}; output is appended to {@code log}.
   */
  public static ServiceProcess start(
      String name,
      Path jar,
      int heapMb,
      int port,
      Path workDir,
      Path log,
      Map<String, String> env,
      List<String> jvmArgs)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          name
              + " is not built ("
              + jar
              + " is missing): run ./mvnw -B install -DskipTests, or use ./conveyor, which builds it");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heapMb + "m");
    // DJL must never reach for the network: natives come from the Maven artifact in the jar
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(jar.toString());
    Files.createDirectories(log.toAbsolutePath().getParent());
    Files.createDirectories(workDir);
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    Files.writeString(
        log,
        "---- " + java.time.Instant.now() + " start " + name + " on port " + port + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    return new ServiceProcess(name, port, log, logStart, pb.start());
  }

  /** Where module {@code name}'s runnable jar is in a checkout at {@code home}. */
  public static Path jar(Path home, String name) {
    return home.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
  }

  /**
   * Waits until {@code /q/health/ready} answers 200; fails with the log's tail if the process dies
   * or {@code timeout} passes.
   */
  public void awaitReady(Duration timeout) throws IOException, InterruptedException {
    await("/q/health/ready", timeout);
  }

  /** Like {@link #awaitReady} for {@code /q/health/live}: up, whether or not it has work. */
  public void awaitLive(Duration timeout) throws IOException, InterruptedException {
    await("/q/health/live", timeout);
  }

  private void await(String path, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            name
                + " exited with "
                + process.exitValue()
                + " during start; last lines of "
                + log
                + ":\n"
                + tail(20));
      }
      if (answers(path)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IOException(name + " not ready after " + timeout.toSeconds() + " s; see " + log);
  }

  /**
   * Waits until this run's output contains {@code text}; fails with the output if the process exits
   * first or {@code timeout} passes.
   */
  public void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(text)) {
      if (!process.isAlive()) {
        throw new IOException(
            name + " exited before logging '" + text + "'; its output:\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "no '" + text + "' from " + name + " in " + timeout.toSeconds() + " s; see " + log);
      }
      Thread.sleep(200);
    }
  }

  /** True if the service answers its readiness check with 200 now. */
  public boolean ready() {
    return answers("/q/health/ready");
  }

  private boolean answers(String path) {
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url() + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM and wait (Quarkus finishes in-flight work and closes its Kafka clients cleanly). */
  public void stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** {@code kill -9}: no shutdown hook, nothing flushed, no offset committed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits up to {@code timeout} for the process to exit on its own; true if it did. */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The exit status (128 + signal when killed by one, e.g. 137 after {@link #kill}). */
  public int exitValue() {
    return process.exitValue();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** The service's name, e.g. {@code trainer-service}. */
  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://localhost:" + port;
  }

  public Path log() {
    return log;
  }

  /** Seconds since start. */
  public double uptimeSeconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** What this run wrote to the log (earlier runs' lines in the same file excluded). */
  public String output() {
    try (InputStream in = Files.newInputStream(log)) {
      in.skipNBytes(logStart);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last {@code n} lines of the log. */
  public String tail(int n) {
    try {
      List<String> lines =
          new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}
